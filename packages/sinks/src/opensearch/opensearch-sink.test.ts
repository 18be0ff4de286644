// Contract tests over real HTTP: against the emulator by default, unchanged
// against a real cluster when OPENSEARCH_URL is set (fault tests need the emulator).
import { type DocumentId, type IndexName, parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { holdRequest } from './hold-request.fixture.js';
import { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch-sink.js';
import { type Emulator, emu, reader, real, url, useTestCluster } from './test-cluster.fixture.js';

useTestCluster();
let n = 0;

const mapping = {
  mappings: { dynamic: 'strict', properties: { name: { type: 'keyword' }, age: { type: 'integer' } } },
};
const id = (s: string) => s as DocumentId;

async function fresh(options: Partial<OpenSearchSinkOptions> = {}) {
  n += 1;
  const prefix = options.prefix ?? `t${Date.now().toString(36)}${n}_`;
  const sink = new OpenSearchSink({
    name: 'primary',
    url,
    prefix,
    numberOfReplicas: 0,
    refreshInterval: '1s',
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    tlsVerify: false,
    ...options,
  });
  const index = parseIndexName('users');
  await sink.ensureIndex({ name: index, mapping, hash: 'h1' });
  return { sink, index, prefix };
}

async function docsIn(alias: string): Promise<Record<string, unknown>> {
  await reader.indices.refresh({ index: alias });
  const res = await reader.search({ index: alias, body: { size: 100, query: { match_all: {} } } });
  return Object.fromEntries(res.body.hits.hits.map((h) => [h._id, h._source]));
}

const bulkCalls = () => emu?.requests.filter((r) => r.path.endsWith('/_bulk')).length ?? 0;

describe('OpenSearchSink', () => {
  it('writes documents and deletes them, a delete of a missing document being success', async () => {
    const { sink, prefix, index } = await fresh();
    sink.write({ op: 'upsert', index, id: id('1'), document: { name: 'Ada', age: 36 } });
    sink.write({ op: 'upsert', index, id: id('2'), document: { name: 'Bob' } });
    sink.write({ op: 'delete', index, id: id('404') });
    expect(await sink.flush(true)).toEqual({ written: 3, rejections: [] });
    sink.write({ op: 'delete', index, id: id('2') });
    await sink.flush(true);
    expect(await docsIn(`${prefix}users_h1`)).toEqual({ 1: { name: 'Ada', age: 36 } });
    await sink.close();
  });

  it.runIf(!real)('chunks bulk requests by count and by bytes', async () => {
    const { sink, prefix, index } = await fresh({ batchSize: 3 });
    const before = bulkCalls();
    for (let i = 0; i < 7; i++)
      sink.write({ op: 'upsert', index, id: id(String(i)), document: { name: `n${i}` } });
    await sink.flush(false);
    expect(bulkCalls() - before).toBe(3);
    const bytes = await fresh({ maxBytes: 200 });
    const mid = bulkCalls();
    for (let i = 0; i < 4; i++)
      bytes.sink.write({ op: 'upsert', index, id: id(String(i)), document: { name: 'x'.repeat(80) } });
    await bytes.sink.flush(false);
    expect(bulkCalls() - mid).toBe(4);
    expect(Object.keys(await docsIn(`${prefix}users_h1`)).sort()).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
  });

  it.runIf(!real)('retries a 429 then succeeds', async () => {
    const { sink, prefix, index } = await fresh();
    emu?.faults.failNext(1, 429, '/_bulk');
    sink.write({ op: 'upsert', index, id: id('1'), document: { name: 'retry' } });
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await docsIn(`${prefix}users`)).toEqual({ 1: { name: 'retry' } });
  });

  it('reports a mapping rejection without retrying, mapped to its logical index and id', async () => {
    const { sink, index } = await fresh();
    const before = bulkCalls();
    sink.write({ op: 'upsert', index, id: id('ok'), document: { name: 'fine' } });
    sink.write({ op: 'upsert', index, id: id('bad'), document: { unknown_field: 1 } });
    const report = await sink.flush(false);
    expect(report.written).toBe(1);
    expect(report.rejections).toEqual([
      expect.objectContaining({
        index: 'users',
        id: 'bad',
        op: 'upsert',
        status: 400,
        type: 'strict_dynamic_mapping_exception',
      }),
    ]);
    if (emu) expect(bulkCalls() - before).toBe(1);
  });

  it.runIf(!real)('retries a dead endpoint, then surfaces sink_transient', async () => {
    const { sink, index } = await fresh({ maxRetries: 2 });
    (emu as Emulator).faults.refuseConnections = true;
    try {
      sink.write({ op: 'upsert', index, id: id('1'), document: { name: 'x' } });
      await expect(sink.flush(false)).rejects.toMatchObject({ code: 'sink_transient' });
    } finally {
      (emu as Emulator).faults.refuseConnections = false;
    }
  });

  it('keeps reads on the old generation during a reindex, then swaps and drops it', async () => {
    const { sink, prefix, index } = await fresh();
    sink.write({ op: 'upsert', index, id: id('old'), document: { name: 'old' } });
    await sink.flush(true);
    await sink.markSeeded(index);
    await sink.reindex(index);
    expect(await sink.isSeeded(index)).toBe(false);
    sink.write({ op: 'upsert', index, id: id('new'), document: { name: 'new' } });
    await sink.flush(true);
    expect(Object.keys(await docsIn(`${prefix}users`)).sort()).toEqual(['new', 'old']);
    await sink.markSeeded(index);
    expect(await docsIn(`${prefix}users`)).toEqual({ new: { name: 'new' } });
    const generations = await reader.indices.get({ index: `${prefix}users_h1_*` });
    expect(Object.keys(generations.body)).toEqual([`${prefix}users_h1_2`]);
  });

  it('keeps a newer generation another process is staging when it ensures the index', async () => {
    const { sink, prefix, index } = await fresh();
    await sink.markSeeded(index);
    await sink.reindex(index);
    sink.write({ op: 'upsert', index, id: id('staged'), document: { name: 'staged' } });
    await sink.flush(true);
    // A second process (a Kafka-mode worker starting) ensures the same index meanwhile.
    const other = (await fresh({ prefix })).sink;
    await other.close();
    await sink.markSeeded(index);
    expect(await docsIn(`${prefix}users`)).toEqual({ staged: { name: 'staged' } });
    const generations = await reader.indices.get({ index: `${prefix}users_h1_*` });
    expect(Object.keys(generations.body)).toEqual([`${prefix}users_h1_2`]);
  });

  it('never recreates a generation another process dropped in a swap while it read the layout', async () => {
    const { sink, prefix, index } = await fresh();
    await sink.markSeeded(index);
    await sink.reindex(index);
    sink.write({ op: 'upsert', index, id: id('new'), document: { name: 'new' } });
    await sink.flush(true);
    // A Kafka-mode worker's probe reads the layout (generation 1) just before the swap
    // and checks that generation just after it was dropped.
    const gate = await holdRequest(
      url,
      (method, path) => method === 'HEAD' && path === `/${prefix}users_h1_1`,
    );
    const probe = new OpenSearchSink({ name: 'primary', url: gate.url, prefix, tlsVerify: false });
    const probed = probe.ensureIndex({ name: index, mapping, hash: 'h1' });
    await gate.held;
    await sink.markSeeded(index);
    gate.release();
    await probed;
    await probe.close();
    await gate.close();
    const generations = await reader.indices.get({ index: `${prefix}users_h1_*` });
    expect(Object.keys(generations.body)).toEqual([`${prefix}users_h1_2`]);
    expect(await docsIn(`${prefix}users_h1`)).toEqual({ new: { name: 'new' } });
    expect(await probe.isSeeded(index)).toBe(true);
  });

  it('isolates two deployments by prefix and keeps seeded state across a restart', async () => {
    const a = await fresh({ prefix: `pa${Date.now().toString(36)}_` });
    const b = await fresh({ prefix: `pb${Date.now().toString(36)}_` });
    a.sink.write({ op: 'upsert', index: a.index, id: id('a'), document: { name: 'A' } });
    await a.sink.flush(true);
    await a.sink.markSeeded(a.index);
    expect(await docsIn(`${b.prefix}users_h1`)).toEqual({});
    expect(await b.sink.isSeeded(b.index)).toBe(false);
    const again = new OpenSearchSink({ name: 'primary', url, prefix: a.prefix, tlsVerify: false });
    await again.ensureIndex({ name: a.index as IndexName, mapping, hash: 'h1' });
    expect(await again.isSeeded(a.index)).toBe(true);
    expect(await docsIn(`${a.prefix}users`)).toEqual({ a: { name: 'A' } });
  });

  it.runIf(!real)('asks for a refresh only on the last chunk of a caught-up flush', async () => {
    const { sink, index } = await fresh({ batchSize: 2 });
    const start = emu?.requests.length ?? 0;
    for (let i = 0; i < 3; i++)
      sink.write({ op: 'upsert', index, id: id(String(i)), document: { name: 'r' } });
    await sink.flush(true);
    const bulks = (emu as Emulator).requests.slice(start).filter((r) => r.path.endsWith('/_bulk'));
    expect(bulks.map((r) => r.query.includes('refresh=true'))).toEqual([false, true]);
  });
});
