import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createProxyMetrics, KindHistogram } from './metrics.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

describe('KindHistogram', () => {
  it("renders what prom-client's Histogram renders for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new KindHistogram({ name: 'h', help: 'latency', buckets: BUCKETS, registers: [ours] });
    const reference = new Histogram({
      name: 'h',
      help: 'latency',
      labelNames: ['kind'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const seen = [
      ['Search', 0.0004],
      ['IngestDoc', 0.003],
      ['Search', 0.0005],
      ['Search', 0.7],
      ['Count', 12],
      ['IngestDoc', 0.00123456789],
      ['Search', 0],
    ] as const;
    for (const [kind, seconds] of seen) {
      fast.observe(kind, seconds);
      reference.labels({ kind }).observe(seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });
});

describe('createProxyMetrics', () => {
  it('counts requests by kind and status as a prom-client counter would, whenever scraped', async () => {
    const metrics = createProxyMetrics();
    metrics.record('Search', 200, 0.001);
    metrics.record('Search', 200, 0.002);
    metrics.record('IngestDoc', 201, 0.003);
    const first = await metrics.registry.metrics();
    expect(first).toContain('osproxy_requests_total{kind="Search",status="200"} 2');
    expect(first).toContain('osproxy_requests_total{kind="IngestDoc",status="201"} 1');
    expect(first).toContain('osproxy_request_duration_seconds_count{kind="Search"} 2');
    metrics.record('Search', 200, 0.001);
    metrics.record('Search', 429, 0.001);
    const second = await metrics.registry.metrics();
    expect(second).toContain('osproxy_requests_total{kind="Search",status="200"} 3');
    expect(second).toContain('osproxy_requests_total{kind="Search",status="429"} 1');
    expect(second).toContain('osproxy_request_duration_seconds_bucket{le="0.001",kind="Search"} 3');
  });
});
