// Prometheus metrics for osproxy: requests by endpoint kind and status, latency,
// upstream pool stats, breaker state and whether tenant traffic may pass. Labels are kinds and codes, never values.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'kind' | 'status'>;
  readonly latency: Histogram<'kind'>;
  readonly inflightBytes: Gauge;
  readonly pool: Gauge<'cluster' | 'stat'>;
  readonly breakerOpen: Gauge<'cluster'>;
  readonly tenancyIndexReady: Gauge;
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: 'osproxy_requests_total',
      help: 'Requests by endpoint kind and status',
      labelNames: ['kind', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'osproxy_request_duration_seconds',
      help: 'Request latency by endpoint kind',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inflightBytes: new Gauge({
      name: 'osproxy_inflight_bytes',
      help: 'Request body bytes being processed',
      registers: [registry],
    }),
    pool: new Gauge({
      name: 'osproxy_upstream_pool',
      help: 'Upstream pool stats (opened, dispatched, reused)',
      labelNames: ['cluster', 'stat'],
      registers: [registry],
    }),
    breakerOpen: new Gauge({
      name: 'osproxy_breaker_open',
      help: '1 when the cluster circuit breaker is open',
      labelNames: ['cluster'],
      registers: [registry],
    }),
    tenancyIndexReady: new Gauge({
      name: 'osproxy_tenancy_index_ready',
      help: '1 once the shared index is checked to filter tenants exactly; 0 holds tenant traffic',
      registers: [registry],
    }),
  };
}
