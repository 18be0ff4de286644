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
  /** Counts one finished request and observes its latency (labelled children cached per kind and status). */
  readonly record: (kind: string, status: number, seconds: number) => void;
}

/** `record` over cached labelled children: no label hashing per request. */
function recorder(requests: Counter<'kind' | 'status'>, latency: Histogram<'kind'>): ProxyMetrics['record'] {
  // By kind, then status: no key string built per request.
  const counted = new Map<string, Map<number, Counter.Internal>>();
  const timed = new Map<string, Histogram.Internal<'kind'>>();
  return (kind, status, seconds) => {
    let byStatus = counted.get(kind);
    if (byStatus === undefined) {
      byStatus = new Map();
      counted.set(kind, byStatus);
    }
    let counter = byStatus.get(status);
    if (counter === undefined) {
      counter = requests.labels({ kind, status: String(status) });
      byStatus.set(status, counter);
    }
    counter.inc();
    let histogram = timed.get(kind);
    if (histogram === undefined) {
      histogram = latency.labels({ kind });
      timed.set(kind, histogram);
    }
    histogram.observe(seconds);
  };
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'osproxy_requests_total',
    help: 'Requests by endpoint kind and status',
    labelNames: ['kind', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'osproxy_request_duration_seconds',
    help: 'Request latency by endpoint kind',
    labelNames: ['kind'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    requests,
    latency,
    record: recorder(requests, latency),
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
