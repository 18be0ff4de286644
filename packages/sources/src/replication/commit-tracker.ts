// Which position may be confirmed to Postgres. Transactions enter the ordered
// list when they commit (commit order = end LSN order); a transaction is done when
// every change of it was acked. The confirmed position advances only over a
// contiguous run of done transactions, and never past one still in flight.
import type { Lsn } from '@flusso/core';

/** One transaction's bookkeeping; a change holds it to ack through `ackOne`. */
export interface Txn {
  pending: number;
  endLsn: bigint | null;
  aborted: boolean;
}

export class CommitTracker {
  private readonly open = new Map<number, Txn>();
  private readonly committed: Txn[] = [];
  private confirmedLsn: bigint;

  constructor(start: Lsn) {
    this.confirmedLsn = start;
  }

  /** The highest position safe to report as flushed. */
  get confirmed(): Lsn {
    return this.confirmedLsn as Lsn;
  }

  /** True when no transaction is open or awaiting acks. */
  get idle(): boolean {
    return this.open.size === 0 && this.committed.length === 0;
  }

  begin(xid: number): void {
    if (!this.open.has(xid)) this.open.set(xid, { pending: 0, endLsn: null, aborted: false });
  }

  /** Register one change of `xid`; returns its ack (idempotent, a no-op once aborted). */
  change(xid: number): () => void {
    const txn = this.register(xid);
    let acked = false;
    return () => {
      if (acked) return;
      acked = true;
      this.ackOne(txn);
    };
  }

  /**
   * Register one change of `xid`; the caller acks it exactly once with `ackOne`. The
   * live path's form of `change`: no closure per change (each one sits in the queue).
   */
  register(xid: number): Txn {
    let txn = this.open.get(xid);
    if (txn === undefined) {
      txn = { pending: 0, endLsn: null, aborted: false };
      this.open.set(xid, txn);
    }
    txn.pending += 1;
    return txn;
  }

  /** One change of `txn` (from `register`) is durable; a no-op once aborted. */
  ackOne(txn: Txn): void {
    if (txn.aborted) return;
    txn.pending -= 1;
    this.advance();
  }

  commit(xid: number, endLsn: bigint): void {
    const txn = this.open.get(xid) ?? { pending: 0, endLsn: null, aborted: false };
    this.open.delete(xid);
    txn.endLsn = endLsn;
    this.committed.push(txn);
    this.advance();
  }

  abort(xid: number): void {
    const txn = this.open.get(xid);
    if (!txn) return;
    txn.aborted = true;
    this.open.delete(xid);
  }

  /** Keepalive with nothing pending: let the slot move to the server's WAL end. */
  idleAt(walEnd: bigint): void {
    if (this.idle && walEnd > this.confirmedLsn) this.confirmedLsn = walEnd;
  }

  private advance(): void {
    while (this.committed.length > 0 && (this.committed[0]?.pending ?? 1) === 0) {
      const txn = this.committed.shift() as Txn;
      if (txn.endLsn !== null && txn.endLsn > this.confirmedLsn) this.confirmedLsn = txn.endLsn;
    }
  }
}
