// When a batch closes: at `maxChanges`, or `maxDelayMs` after its first change.
export interface BatchPolicy {
  readonly maxChanges: number;
  readonly maxDelayMs: number;
}

export const defaultBatchPolicy: BatchPolicy = { maxChanges: 256, maxDelayMs: 50 };
