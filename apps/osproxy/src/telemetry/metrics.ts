// Prometheus metrics for osproxy: requests by endpoint kind and status, latency,
// upstream pool stats, breaker state and whether tenant traffic may pass. Labels are kinds and codes, never values.
import { Counter, Gauge, type Metric, Registry } from 'prom-client';

export interface ProxyMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'kind' | 'status'>;
  readonly latency: KindHistogram;
  readonly inflightBytes: Gauge;
  readonly pool: Gauge<'cluster' | 'stat'>;
  readonly breakerOpen: Gauge<'cluster'>;
  readonly tenancyIndexReady: Gauge;
  /** Counts one finished request and observes its latency (kept in plain numbers until a scrape). */
  readonly record: (kind: string, status: number, seconds: number) => void;
}

/** One label set's observations: count per bucket (not cumulative), sum, count. */
interface Observed {
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A prom-client metric value as its registry renders it (`get` splays `sharedLabels` into `labels`). */
interface ValuePair {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
  exemplar?: null;
}

/**
 * A histogram by endpoint kind that records in plain arrays and renders what
 * prom-client's `Histogram` renders for the same observations (metric registries
 * take any object with `name`, `help`, `type` and `get`). prom-client's own
 * `observe` hashes its labels into a string key and looks each bucket up by its
 * bound as a property name, on every request.
 */
export class KindHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #kinds = new Map<string, Observed>();

  constructor(options: { name: string; help: string; buckets: readonly number[]; registers: Registry[] }) {
    this.name = options.name;
    this.help = options.help;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  observe(kind: string, seconds: number): void {
    let observed = this.#kinds.get(kind);
    if (observed === undefined) {
      observed = { buckets: new Float64Array(this.#bounds.length), sum: 0, count: 0 };
      this.#kinds.set(kind, observed);
    }
    const bounds = this.#bounds;
    for (let b = 0; b < bounds.length; b++) {
      if (seconds <= (bounds[b] as number)) {
        observed.buckets[b] = (observed.buckets[b] as number) + 1;
        break;
      }
    }
    observed.sum += seconds;
    observed.count += 1;
  }

  reset(): void {
    this.#kinds.clear();
  }

  /** prom-client's exposition values: each kind's cumulative buckets, `+Inf`, sum and count. */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: string;
    values: ValuePair[];
    aggregator: string;
  }> {
    const values: ValuePair[] = [];
    const bucket = `${this.name}_bucket`;
    for (const [kind, observed] of this.#kinds) {
      const shared = { kind };
      let acc = 0;
      this.#bounds.forEach((bound, b) => {
        acc += observed.buckets[b] as number;
        values.push({
          labels: { le: bound },
          sharedLabels: shared,
          value: acc,
          metricName: bucket,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: shared,
          value: observed.count,
          metricName: bucket,
          exemplar: null,
        },
        { labels: {}, sharedLabels: shared, value: observed.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: shared, value: observed.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    values: ValuePair[];
    aggregator: string;
  }> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return data;
  }
}

/**
 * `record`: the request counter's increments are kept by kind and status in plain
 * numbers and handed to prom-client when it collects (a scrape), the latency
 * observed into `KindHistogram`: no label hashing per request.
 */
function recorder(requests: Counter<'kind' | 'status'>, latency: KindHistogram) {
  // By kind, then status: no key string built per request.
  const pending = new Map<string, Map<number, number>>();
  const record = (kind: string, status: number, seconds: number) => {
    let byStatus = pending.get(kind);
    if (byStatus === undefined) {
      byStatus = new Map();
      pending.set(kind, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    latency.observe(kind, seconds);
  };
  const flush = () => {
    for (const [kind, byStatus] of pending) {
      for (const [status, count] of byStatus) {
        if (count > 0) requests.inc({ kind, status: String(status) }, count);
        byStatus.set(status, 0);
      }
    }
  };
  return { record, flush };
}

export function createProxyMetrics(): ProxyMetrics {
  const registry = new Registry();
  let flush = (): void => undefined;
  const requests = new Counter({
    name: 'osproxy_requests_total',
    help: 'Requests by endpoint kind and status',
    labelNames: ['kind', 'status'],
    registers: [registry],
    collect: () => flush(),
  });
  const latency = new KindHistogram({
    name: 'osproxy_request_duration_seconds',
    help: 'Request latency by endpoint kind',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const recording = recorder(requests, latency);
  flush = recording.flush;
  return {
    registry,
    requests,
    latency,
    record: recording.record,
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
