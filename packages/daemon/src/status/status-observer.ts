// Drives the Status from engine events. Error text kept in `last_error` is the
// engine's shape-only message (ids, names, counts; never document values).
import type { Observer } from '@flusso/engine';
import type { DeadLetterCount } from '../dead-letters/dead-letter-book.js';
import type { Status } from './status.js';

export interface DaemonObserver extends Observer {
  onSlotLag?(bytes: number): void;
  onDeadLetterCounts?(counts: readonly DeadLetterCount[]): void;
}

/**
 * One per pipeline run (the Status outlives it). Once the run went live, a
 * backfill (a reindex, a TRUNCATE rebuild) shows as `backfilling` and returns
 * the phase to `live` when the last one finishes.
 */
export function statusObserver(status: Status): DaemonObserver {
  return { ...lifecycle(status), ...deliveryCounters(status) };
}

function lifecycle(status: Status): DaemonObserver {
  let live = false;
  return {
    onIndexesEnsured() {
      live = false;
      status.phase = 'starting';
      status.changesInFlight = 0;
      status.commitLag.reset();
    },
    onBackfillStarted(index, _sinks, estimatedRows) {
      status.phase = 'backfilling';
      status.indexes.set(index, 'backfilling');
      status.backfillStarted(index, estimatedRows);
    },
    onBackfillProgress(index, rowsDone) {
      status.backfillProgress(index, rowsDone);
    },
    onBackfillFinished(index) {
      status.indexes.set(index, 'seeded');
      status.backfillFinished(index);
      if (live && status.backfilling === 0) status.phase = 'live';
    },
    onLiveStarted() {
      live = true;
      status.goLive();
    },
    onError(_code, message) {
      status.errors += 1;
      status.lastError = message;
      status.phase = 'stopped';
    },
    onStopped() {
      status.phase = 'stopped';
    },
  };
}

function deliveryCounters(status: Status): DaemonObserver {
  return {
    onChangeCaptured() {
      status.changesCaptured += 1;
      status.changesInFlight += 1;
      status.commitLag.arrived(status.now());
    },
    onDocumentsBuilt(_index, count) {
      status.documentsBuilt += count;
    },
    onFlushed(stats) {
      status.lastFlushMicros = stats.micros;
      status.sinks.set(stats.sink, 'ok');
    },
    onFlushRetry(sink) {
      status.sinks.set(sink, 'retrying');
    },
    onSinkRecovered(sink) {
      status.sinks.set(sink, 'ok');
    },
    onBatchCommitted(stats) {
      status.commitLag.committed(stats.changes, status.now());
      status.changesCommitted += stats.changes;
      status.changesInFlight = Math.max(0, status.changesInFlight - stats.changes);
      status.batches += 1;
    },
    onDocumentQuarantined() {
      status.documentsQuarantined += 1;
    },
    onSlotLag(bytes) {
      status.slotLagBytes = bytes;
    },
    onDeadLetterCounts(counts) {
      status.deadLetters = counts;
    },
    onBatchDropped(sink) {
      status.droppedBatches.set(sink, (status.droppedBatches.get(sink) ?? 0) + 1);
    },
  };
}
