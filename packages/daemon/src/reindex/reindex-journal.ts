// Reindexes survive a crash: a request is recorded durably before it starts and
// removed once every sink swapped the new generation in. A daemon that starts
// with requests still recorded (the process died mid-reindex) runs them again
// from the start of a fresh generation: `ensureIndex` drops the half-built one
// and `reindex` stages it anew, so a resumed reindex is idempotent.
import type { IndexName } from '@flusso/core';

export interface ReindexJournal {
  /** Record, durably, that a reindex of `index` was requested. */
  requested(index: IndexName): Promise<void>;
  /** The reindex of `index` completed (swapped in every sink). */
  finished(index: IndexName): Promise<void>;
  /** Reindexes requested and never finished, oldest first. */
  pending(): Promise<readonly IndexName[]>;
  close(): Promise<void>;
}

/** A journal in memory: for tests, and for a daemon without a durable store. */
export class MemoryReindexJournal implements ReindexJournal {
  readonly entries: IndexName[] = [];

  async requested(index: IndexName): Promise<void> {
    if (!this.entries.includes(index)) this.entries.push(index);
  }

  async finished(index: IndexName): Promise<void> {
    const at = this.entries.indexOf(index);
    if (at >= 0) this.entries.splice(at, 1);
  }

  async pending(): Promise<readonly IndexName[]> {
    return [...this.entries];
  }

  async close(): Promise<void> {}
}
