// A decoded commit is not yet a visible one. Postgres flushes the commit record
// and wakes the walsenders before the committing backend leaves the proc array,
// so for a short while a new snapshot still sees the transaction as running: a
// document built then reads the old rows, and with no later change to the row it
// stays stale. The gate holds a transaction's changes until a snapshot taken on
// an ordinary connection sees it committed. Almost always the first snapshot
// does; a cached one answers most transactions without a query at all.
import type { Clock } from '@flusso/core';

/** A snapshot as `pg_current_snapshot()` gives it, cut to 32-bit xids (what pgoutput carries). */
export interface XidSnapshot {
  readonly xmin: number;
  readonly xmax: number;
  readonly running: ReadonlySet<number>;
}

/** Takes a fresh snapshot on an ordinary (non-replication) connection. */
export type TakeSnapshot = () => Promise<XidSnapshot>;

/** The SQL of a `TakeSnapshot`, for a `pg` client; `snapshotOfRow` reads its one row. */
export const SNAPSHOT_SQL =
  'SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax, ' +
  'ARRAY(SELECT pg_snapshot_xip(s))::text[] AS xip FROM pg_current_snapshot() AS s';

const low32 = (xid8: string): number => Number(BigInt(xid8) & 0xffff_ffffn);

export function snapshotOfRow(row: { xmin: string; xmax: string; xip: readonly string[] }): XidSnapshot {
  return { xmin: low32(row.xmin), xmax: low32(row.xmax), running: new Set(row.xip.map(low32)) };
}

/** `a` comes before `b` in xid order (modulo 2^32, as Postgres compares live xids). */
function precedes(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** Whether `snapshot` sees the committed transaction `xid` as committed. */
export function seesCommitted(snapshot: XidSnapshot, xid: number): boolean {
  if (precedes(xid, snapshot.xmin)) return true;
  return precedes(xid, snapshot.xmax) && !snapshot.running.has(xid);
}

export class VisibilityGate {
  #last: XidSnapshot | null = null;

  constructor(
    private readonly take: TakeSnapshot,
    private readonly clock: Clock,
  ) {}

  /** Resolves once a new snapshot sees committed transaction `xid`; `signal` gives up. */
  async visible(xid: number, signal?: AbortSignal): Promise<void> {
    // Visibility only grows: a transaction one snapshot saw committed, every later one does.
    if (this.#last !== null && seesCommitted(this.#last, xid)) return;
    for (let attempt = 0; ; attempt += 1) {
      this.#last = await this.take();
      if (seesCommitted(this.#last, xid)) return;
      if (signal?.aborted) return;
      // The committing backend is between its flushed commit record and the proc array.
      await this.clock.sleep(Math.min(2 ** attempt, 50), signal);
    }
  }
}
