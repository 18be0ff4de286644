// A live change as one object: its ack state is two fields rather than a closure
// from the tracker wrapped in another from the stream. Up to a full ingest queue of
// them stays alive at once, so every object less per change is less for the GC to copy.
import type { Change, ChangeEvent, Lsn } from '@flusso/core';
import type { Txn } from '../replication/commit-tracker.js';

/** What a LiveChange tells once acked: the tracker's `ackOne`, then a status update. */
export interface AckTarget {
  acked(txn: Txn): void;
}

export class LiveChange implements Change {
  private done = false;

  constructor(
    readonly event: ChangeEvent,
    readonly position: Lsn,
    readonly streamed: true | undefined,
    private readonly txn: Txn,
    private readonly target: AckTarget,
  ) {}

  /** Idempotent, as Change asks. */
  ack(): void {
    if (this.done) return;
    this.done = true;
    this.target.acked(this.txn);
  }
}
