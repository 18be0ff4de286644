// When a batch closes: at `maxChanges`, or `maxDelayMs` after its first change.
export interface BatchPolicy {
  readonly maxChanges: number;
  readonly maxDelayMs: number;
  /**
   * Close a batch as soon as the queue is empty while nothing is in flight
   * downstream (no batch awaits a lane): at moderate load a change does not wait
   * out the window; under load the lanes are busy and batches fill as before.
   */
  readonly closeWhenIdle?: boolean;
}

/** What the daemon runs: the default window, closed early when the lanes are idle. */
export const liveBatchPolicy: BatchPolicy = { maxChanges: 256, maxDelayMs: 50, closeWhenIdle: true };

export const defaultBatchPolicy: BatchPolicy = { maxChanges: 256, maxDelayMs: 50 };
