// Prometheus metrics for `osproxy apply`: ops by outcome, retries, committed
// batches and the lag left per partition. Labels are outcomes and partition
// numbers, never ids or values.
import { Counter, Gauge, Registry } from 'prom-client';

export interface ApplyMetrics {
  readonly registry: Registry;
  readonly ops: Counter<'status'>;
  readonly retries: Counter;
  readonly batches: Counter;
  readonly lag: Gauge<'partition'>;
}

export function createApplyMetrics(): ApplyMetrics {
  const registry = new Registry();
  return {
    registry,
    ops: new Counter({
      name: 'osproxy_apply_ops_total',
      help: 'Queued writes handled, by outcome (applied, conflict, rejected)',
      labelNames: ['status'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'osproxy_apply_retries_total',
      help: 'Bulk attempts retried after a transient failure',
      registers: [registry],
    }),
    batches: new Counter({
      name: 'osproxy_apply_batches_total',
      help: 'Batches applied and committed',
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'osproxy_apply_lag',
      help: 'Records on the partition past the last batch applied',
      labelNames: ['partition'],
      registers: [registry],
    }),
  };
}
