// Holds the changes of streamed (in-progress) transactions until their stream
// commit. A change is only worth delivering once its rows are visible to the
// SQL that rebuilds documents: delivering it earlier builds from rows that do
// not exist yet, and nothing would rebuild them after the commit. Past
// `memoryLimit` changes a transaction's older changes move to a spill file, so
// memory stays bounded however large the transaction grows.
import type { ChangeEvent } from '@flusso/core';
import { SpillFile } from './spill-file.js';

interface Held {
  /** The (sub)transaction the change belongs to, so a rolled-back savepoint drops only its own. */
  readonly xid: number;
  readonly event: ChangeEvent;
}

interface Txn {
  memory: Held[];
  spill: SpillFile<Held> | null;
  /** Subtransactions rolled back after some of their changes were spilled. */
  readonly aborted: Set<number>;
}

export class StreamedTransactions {
  private readonly held = new Map<number, Txn>();

  constructor(private readonly memoryLimit = 8192) {}

  /** A stream segment of top-level `xid` begins; its first segment starts empty. */
  async start(xid: number, firstSegment: boolean): Promise<void> {
    if (firstSegment) await this.drop(xid);
    this.txn(xid);
  }

  /** Holds `events` of (sub)transaction `xid` for the top-level transaction `topXid`. */
  async add(topXid: number, xid: number, events: readonly ChangeEvent[]): Promise<void> {
    const txn = this.txn(topXid);
    for (const event of events) txn.memory.push({ xid, event });
    if (txn.memory.length < this.memoryLimit) return;
    txn.spill ??= await SpillFile.create<Held>();
    await txn.spill.append(txn.memory);
    txn.memory = [];
  }

  /** The transaction (`subXid === xid`) or one of its subtransactions rolled back. */
  async abort(xid: number, subXid: number): Promise<void> {
    if (subXid === xid) return this.drop(xid);
    const txn = this.held.get(xid);
    if (!txn) return;
    txn.memory = txn.memory.filter((h) => h.xid !== subXid);
    if (txn.spill) txn.aborted.add(subXid);
  }

  /** The transaction committed: its changes, in stream order; then they are forgotten. */
  async *take(xid: number): AsyncIterable<ChangeEvent> {
    const txn = this.held.get(xid);
    if (!txn) return;
    this.held.delete(xid);
    try {
      if (txn.spill)
        for await (const batch of txn.spill.batches())
          for (const h of batch) if (!txn.aborted.has(h.xid)) yield h.event;
      for (const h of txn.memory) yield h.event;
    } finally {
      await txn.spill?.remove();
    }
  }

  /** Forgets every held transaction (the stream ended; they will be streamed again). */
  async close(): Promise<void> {
    for (const xid of [...this.held.keys()]) await this.drop(xid);
  }

  private txn(xid: number): Txn {
    let txn = this.held.get(xid);
    if (!txn) {
      txn = { memory: [], spill: null, aborted: new Set() };
      this.held.set(xid, txn);
    }
    return txn;
  }

  private async drop(xid: number): Promise<void> {
    const txn = this.held.get(xid);
    this.held.delete(xid);
    await txn?.spill?.remove();
  }
}
