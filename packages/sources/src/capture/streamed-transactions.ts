// Holds the changes of streamed (in-progress) transactions until their stream
// commit. A change is only worth delivering once its rows are visible to the
// SQL that rebuilds documents: delivering it earlier builds from rows that do
// not exist yet, and nothing would rebuild them after the commit.
import type { ChangeEvent } from './change.js';

interface Held {
  /** The (sub)transaction the change belongs to, so a rolled-back savepoint drops only its own. */
  readonly xid: number;
  readonly event: ChangeEvent;
}

export class StreamedTransactions {
  private readonly held = new Map<number, Held[]>();

  /** A stream segment of top-level `xid` begins; its first segment starts empty. */
  start(xid: number, firstSegment: boolean): void {
    if (firstSegment || !this.held.has(xid)) this.held.set(xid, []);
  }

  /** Holds `events` of (sub)transaction `xid` for the top-level transaction `topXid`. */
  add(topXid: number, xid: number, events: readonly ChangeEvent[]): void {
    let list = this.held.get(topXid);
    if (!list) {
      list = [];
      this.held.set(topXid, list);
    }
    for (const event of events) list.push({ xid, event });
  }

  /** The transaction (`subXid === xid`) or one of its subtransactions rolled back. */
  abort(xid: number, subXid: number): void {
    if (subXid === xid) {
      this.held.delete(xid);
      return;
    }
    const list = this.held.get(xid);
    if (list)
      this.held.set(
        xid,
        list.filter((h) => h.xid !== subXid),
      );
  }

  /** The transaction committed: its changes, in stream order, and forget them. */
  take(xid: number): ChangeEvent[] {
    const list = this.held.get(xid) ?? [];
    this.held.delete(xid);
    return list.map((h) => h.event);
  }
}
