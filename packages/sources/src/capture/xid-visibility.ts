// A transaction's changes reach the replication stream once its commit record is
// flushed, which is a moment before the committing backend leaves the proc array and
// the commit becomes visible to new snapshots. SQL that rebuilds a document in that
// moment reads the rows as they were before: the document would miss the change and
// nothing would ever correct it. So before a transaction's changes go out, its xid is
// checked against a fresh snapshot (and waited for while it is still in progress).
// One snapshot answers for every xid below its xmin, so a capture behind the writers
// asks rarely; a caught-up one asks once per transaction, which is cheap at that rate.

/** The server's current snapshot as `txid_current_snapshot()` prints it: `xmin:xmax:xip,...`. */
export type SnapshotQuery = () => Promise<string>;

interface Snapshot {
  readonly xmin: bigint;
  readonly xmax: bigint;
  readonly inProgress: ReadonlySet<bigint>;
}

const EPOCH = 1n << 32n;

export function parseSnapshot(text: string): Snapshot {
  const [xmin = '0', xmax = '0', xip = ''] = text.trim().split(':');
  return {
    xmin: BigInt(xmin),
    xmax: BigInt(xmax),
    inProgress: new Set(xip === '' ? [] : xip.split(',').map((x) => BigInt(x))),
  };
}

/**
 * The 64-bit id of a 32-bit `xid`: the one nearest the snapshot's xmax, as Postgres
 * compares xids (live ones are never 2^31 apart).
 */
function fullXid(xid: number, snapshot: Snapshot): bigint {
  let diff = (BigInt(xid >>> 0) - (snapshot.xmax % EPOCH) + EPOCH) % EPOCH;
  if (diff >= EPOCH / 2n) diff -= EPOCH;
  return snapshot.xmax + diff;
}

/** Whether the committed transaction `xid` is visible to `snapshot` (ended before it was taken). */
export function visibleIn(xid: number, snapshot: Snapshot): boolean {
  const full = fullXid(xid, snapshot);
  return full < snapshot.xmin || (full < snapshot.xmax && !snapshot.inProgress.has(full));
}

export class XidVisibility {
  private last: Snapshot | null = null;

  constructor(
    private readonly snapshot: SnapshotQuery,
    private readonly pause: () => Promise<void>,
  ) {}

  /** Resolves once the committed transaction `xid` is visible to every snapshot taken from now on. */
  async wait(xid: number): Promise<void> {
    if (this.last && visibleIn(xid, this.last)) return;
    for (;;) {
      this.last = parseSnapshot(await this.snapshot());
      if (visibleIn(xid, this.last)) return;
      await this.pause();
    }
  }
}
