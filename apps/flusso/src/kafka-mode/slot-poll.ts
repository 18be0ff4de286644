// The capture role's out-of-band sample of its replication slot: WAL bytes retained
// beyond the confirmed position (as the one-process daemon reports it) and the
// confirmed LSN itself, every `intervalMs` until `signal` aborts.
import type { Clock } from '@flusso/core';

export interface SlotSource {
  query<R>(text: string, params: unknown[]): Promise<{ rows: R[] }>;
}

export interface SlotSample {
  readonly lagBytes: number | null;
  readonly confirmedLsn: string | null;
}

export async function readSlot(db: SlotSource, slot: string): Promise<SlotSample> {
  const res = await db.query<{ confirmed: string | null; lag: string | null }>(
    `SELECT confirmed_flush_lsn::text AS confirmed,
            pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::text AS lag
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const row = res.rows[0];
  return {
    lagBytes: row?.lag == null ? null : Math.max(0, Number(row.lag)),
    confirmedLsn: row?.confirmed ?? null,
  };
}

export async function pollSlot(
  db: SlotSource,
  slot: string,
  report: (sample: SlotSample) => void,
  options: { clock: Clock; intervalMs: number; signal: AbortSignal },
): Promise<void> {
  while (!options.signal.aborted) {
    try {
      report(await readSlot(db, slot));
    } catch {
      // A failed sample is skipped; the capture reports source failures itself.
    }
    await options.clock.sleep(options.intervalMs, options.signal).catch(() => undefined);
  }
}
