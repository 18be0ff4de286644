// The dead-letter store as operators work it off (`flusso dlq`, the private
// surface): the engine's narrow DeadLetterStore plus listing, removal and counts.
import type { DeadLetter, DeadLetterStore } from '@flusso/engine';

/** Which letters an operation applies to; every given field must match. */
export interface DeadLetterFilter {
  readonly index?: string;
  readonly sink?: string;
  /** A document id. */
  readonly id?: string;
  /** Only letters recorded at or after this wall-clock millisecond. */
  readonly since?: number;
}

/** A letter as stored: `attempts` counts how often the document was rejected. */
export interface StoredDeadLetter extends DeadLetter {
  readonly attempts: number;
}

export interface DeadLetterCount {
  readonly index: string;
  readonly sink: string;
  readonly count: number;
}

export interface DeadLetterBook extends DeadLetterStore {
  /** Oldest first. */
  list(filter: DeadLetterFilter): Promise<readonly StoredDeadLetter[]>;
  /** Remove the letter of each (sink, index, id); returns how many were removed. */
  remove(keys: readonly Pick<DeadLetter, 'sink' | 'index' | 'id'>[]): Promise<number>;
  /** Remove every letter matching `filter`; returns how many. */
  purge(filter: DeadLetterFilter): Promise<number>;
  counts(): Promise<readonly DeadLetterCount[]>;
  close(): Promise<void>;
}
