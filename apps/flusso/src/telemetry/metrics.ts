// Prometheus metrics for flusso, fed by an engine Observer. Labels carry index and
// sink names only (never values).
import type { DaemonObserver } from '@flusso/daemon';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface FlussoMetrics {
  readonly registry: Registry;
  readonly observer: DaemonObserver;
}

export function createMetrics(): FlussoMetrics {
  const registry = new Registry();
  const captured = new Counter({
    name: 'flusso_changes_captured_total',
    help: 'Changes read from the source',
    registers: [registry],
  });
  const committed = new Counter({
    name: 'flusso_changes_committed_total',
    help: 'Changes confirmed after every sink made them durable',
    registers: [registry],
  });
  const built = new Counter({
    name: 'flusso_documents_built_total',
    help: 'Documents built',
    labelNames: ['index'],
    registers: [registry],
  });
  const batches = new Counter({
    name: 'flusso_batches_total',
    help: 'Batches committed',
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'flusso_documents_quarantined_total',
    help: 'Documents a sink rejected under on_error = skip',
    labelNames: ['index'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'flusso_errors_total',
    help: 'Errors that stopped a run',
    registers: [registry],
  });
  const flush = new Histogram({
    name: 'flusso_flush_duration_seconds',
    help: 'Sink flush duration',
    labelNames: ['sink'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'flusso_replication_slot_lag_bytes',
    help: 'WAL bytes the slot retains beyond its confirmed position',
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'flusso_changes_in_flight',
    help: 'Changes captured but not yet confirmed',
    registers: [registry],
  });
  const observer: DaemonObserver = {
    onChangeCaptured: () => {
      captured.inc();
      inFlight.inc();
    },
    onBatchCommitted: (s) => {
      committed.inc(s.changes);
      inFlight.dec(s.changes);
      batches.inc();
    },
    onDocumentsBuilt: (index, count) => built.inc({ index }, count),
    onDocumentQuarantined: (_sink, index) => quarantined.inc({ index }),
    onError: () => errors.inc(),
    onFlushed: (s) => flush.observe({ sink: s.sink }, s.micros / 1e6),
    onSlotLag: (bytes) => lag.set(bytes),
    ...deliveryPolicyMetrics(registry),
    // A new run attempt redelivers (and recounts) what the last one left unconfirmed.
    onIndexesEnsured: () => inFlight.set(0),
    onStopped: () => inFlight.set(0),
  };
  return { registry, observer };
}

/** Dead letters waiting (a gauge, sampled from the store) and batches dropped by full `drop` lanes. */
function deliveryPolicyMetrics(registry: Registry): DaemonObserver {
  const deadLetters = new Gauge({
    name: 'flusso_dead_letters',
    help: 'Documents waiting in the dead-letter store',
    labelNames: ['index', 'sink'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'flusso_batches_dropped_total',
    help: 'Live batches a full on_full = "drop" sink dropped',
    labelNames: ['sink'],
    registers: [registry],
  });
  return {
    onDeadLetterCounts: (counts) => {
      deadLetters.reset();
      for (const c of counts) deadLetters.set({ index: c.index, sink: c.sink }, c.count);
    },
    onBatchDropped: (sink) => dropped.inc({ sink }),
  };
}
