// Logs engine lifecycle events (shape-only: names, counts, codes) and, on a
// terminal, a single backfill progress line with rows done, rate and ETA;
// otherwise (JSON logs) a progress record every few seconds.
import type { DaemonObserver, Status } from '@flusso/daemon';
import type { Logger } from 'pino';

/** How often a JSON log carries a backfill progress record. */
export const PROGRESS_LOG_INTERVAL_MS = 5_000;

export function logObserver(
  log: Logger,
  status: () => Status | null,
  tty: Pick<NodeJS.WriteStream, 'write'> | null,
  now: () => number = Date.now,
): DaemonObserver {
  let lastLine = 0;
  let lastRecord = now();
  return {
    onContinuity: (resumed) =>
      log.info(
        { resumed },
        resumed ? 'resuming from the existing slot' : 'created a fresh slot; seeded indexes are rebuilt',
      ),
    onIndexesEnsured: (count) => log.info({ count }, 'indexes ensured'),
    onBackfillStarted: (index, sinks, estimatedRows) =>
      log.info({ index, sinks, estimatedRows }, 'backfill started'),
    onBackfillProgress: (index) => {
      const p = status()?.progressOf(index);
      if (!p) return;
      const t = now();
      if (!tty) {
        if (t - lastRecord < PROGRESS_LOG_INTERVAL_MS) return;
        lastRecord = t;
        log.info({ index, ...p }, 'backfill progress');
        return;
      }
      if (t - lastLine < 250) return;
      lastLine = t;
      const total = p.rows_total === null ? '?' : String(p.rows_total);
      const eta = p.eta_seconds === null ? '?' : `${p.eta_seconds}s`;
      tty.write(`\r${index}: ${p.rows_done}/${total} rows, ${p.rows_per_second} rows/s, ETA ${eta}   `);
    },
    onBackfillFinished: (index, rows) => {
      if (tty) tty.write('\n');
      log.info({ index, rows }, 'backfill finished');
    },
    onLiveStarted: () => log.info('live: following changes'),
    onFlushRetry: (sink, attempt, code) => log.warn({ sink, attempt, code }, 'sink flush failed; retrying'),
    onSinkRecovered: (sink) => log.info({ sink }, 'sink recovered'),
    onDocumentQuarantined: (sink, index, id, reason) =>
      log.warn({ sink, index, id, reason }, 'document quarantined'),
    onBatchDropped: (sink, documents) =>
      log.warn({ sink, documents }, 'sink lane full (on_full = "drop"): live batch dropped'),
    onError: (code, message) => log.error({ code, err: message }, 'pipeline stopped'),
  };
}
