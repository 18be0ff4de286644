// Several flusso processes starting at once (Kafka-mode workers) ensure the same indexes
// concurrently: whichever creates an index first, the others take OpenSearch's
// `resource_already_exists_exception` as the index they wanted and start too. Against the
// emulator, or a real cluster (OPENSEARCH_URL).
import { type DocumentId, parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { OpenSearchSink } from './opensearch-sink.js';
import { OsproxyLayoutSink } from './osproxy-layout-sink.js';
import { url, useTestCluster } from './test-cluster.fixture.js';

useTestCluster();

const users = parseIndexName('users');
const spec = {
  name: users,
  mapping: { mappings: { properties: { name: { type: 'keyword' }, _tenant: { type: 'keyword' } } } },
  hash: 'h1',
};
const common = { name: 'primary', numberOfReplicas: 0, tlsVerify: false } as const;

describe('sinks starting concurrently', () => {
  it('OpenSearchSink: four processes ensure one index at once, all start and write', async () => {
    const prefix = `cs${Date.now().toString(36)}_`;
    const sinks = Array.from({ length: 4 }, () => new OpenSearchSink({ ...common, url, prefix }));
    try {
      const started = await Promise.allSettled(sinks.map((s) => s.ensureIndex(spec)));
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
      for (const [i, sink] of sinks.entries())
        sink.write({ op: 'upsert', index: users, id: `u${i}` as DocumentId, document: { name: `n${i}` } });
      const reports = await Promise.all(sinks.map((s) => s.flush(true)));
      expect(reports.map((r) => r.written)).toEqual([1, 1, 1, 1]);
    } finally {
      await Promise.all(sinks.map((s) => s.close()));
    }
  });

  it('OsproxyLayoutSink: four processes ensure one shared index at once, all start', async () => {
    const prefix = `co${Date.now().toString(36)}_`;
    const sinks = Array.from(
      { length: 4 },
      () => new OsproxyLayoutSink({ ...common, url, prefix, layout: { index: `${prefix}shared` } }),
    );
    try {
      const started = await Promise.allSettled(sinks.map((s) => s.ensureIndex(spec)));
      expect(started.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
        'ok',
      ]);
    } finally {
      await Promise.all(sinks.map((s) => s.close()));
    }
  });
});
