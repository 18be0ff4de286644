// Writes through generation write aliases (flusso over Kafka): a worker still holding
// the layout of a generation a reindex dropped must not re-create it. Its upserts and
// versioned deletes are dropped as superseded (reported, counted as written), no index
// appears, and the live generation keeps the reindexed documents. Runs against a real
// cluster when OPENSEARCH_URL is set.
import { type DocumentId, type IndexName, parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch-sink.js';
import { reader, url, useTestCluster } from './test-cluster.fixture.js';

useTestCluster();
let n = 0;

const index = parseIndexName('users');
const id = (s: string) => s as DocumentId;
const mapping = { mappings: { dynamic: 'strict', properties: { name: { type: 'keyword' } } } };
const spec = { name: index, mapping, hash: 'h1' };

function sinkOf(prefix: string, extra: Partial<OpenSearchSinkOptions> = {}): OpenSearchSink {
  return new OpenSearchSink({
    name: 'primary',
    url,
    prefix,
    numberOfReplicas: 0,
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    tlsVerify: false,
    writeAliases: true,
    gcDeletes: '10m',
    ...extra,
  });
}

const exists = async (name: string) => (await reader.indices.exists({ index: name })).body;

async function liveIds(alias: string): Promise<string[]> {
  await reader.indices.refresh({ index: alias });
  const res = await reader.search({ index: alias, body: { query: { match_all: {} } } });
  return (res.body.hits.hits as { _id: string }[]).map((h) => h._id).sort();
}

describe('writes through generation write aliases', () => {
  it('drops a late write to a dropped generation as superseded; no index is created', async () => {
    n += 1;
    const prefix = `g${Date.now().toString(36)}${n}_`;
    const gone: [IndexName, number][] = [];
    const worker = sinkOf(prefix, { onGenerationGone: (i, count) => gone.push([i, count]) });
    await worker.ensureIndex(spec);
    worker.write({ op: 'upsert', index, id: id('2'), document: { name: 'two' }, version: 5n });
    await worker.flush(true);

    // Another process reindexes: generation 2 is built from current rows and swapped in.
    const capture = sinkOf(prefix);
    await capture.ensureIndex(spec);
    await capture.reindex(index);
    capture.write({ op: 'upsert', index, id: id('1'), document: { name: 'one' }, version: 10n });
    // Written to both generations (the live one and the staged one).
    expect(await capture.flush(true)).toEqual({ written: 2, rejections: [] });
    await capture.markSeeded(index);
    expect(await exists(`${prefix}users_h1_1`)).toBe(false);

    // The worker still holds generation 1: an upsert and a versioned delete, built before the swap.
    worker.write({ op: 'upsert', index, id: id('3'), document: { name: 'late' }, version: 8n });
    worker.write({ op: 'delete', index, id: id('1'), version: 9n });
    expect(await worker.flush(true)).toEqual({ written: 2, rejections: [] });
    expect(await exists(`${prefix}users_h1_1`)).toBe(false);
    expect(await exists(`${prefix}users_h1_1_w`)).toBe(false);
    expect(await liveIds(`${prefix}users`)).toEqual(['1']);
    expect(gone).toEqual([[index, 2]]);

    // Once it re-reads the layout, it writes to the live generation.
    await worker.ensureIndex(spec);
    worker.write({ op: 'upsert', index, id: id('4'), document: { name: 'four' }, version: 11n });
    expect(await worker.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await liveIds(`${prefix}users`)).toEqual(['1', '4']);
    await Promise.all([worker.close(), capture.close()]);
  });

  it('fails (transient) rather than drop a write when the live generation lacks its write alias', async () => {
    n += 1;
    const prefix = `g${Date.now().toString(36)}${n}_`;
    const sink = sinkOf(prefix);
    await sink.ensureIndex(spec);
    await reader.indices.deleteAlias({ index: `${prefix}users_h1_1`, name: `${prefix}users_h1_1_w` });
    sink.write({ op: 'upsert', index, id: id('1'), document: { name: 'one' }, version: 1n });
    await expect(sink.flush(true)).rejects.toMatchObject({ code: 'sink_transient' });
    expect(await exists(`${prefix}users_h1_1_w`)).toBe(false);
    // Ensuring the index again (what a failed worker does on restart) restores the alias.
    await sink.ensureIndex(spec);
    sink.write({ op: 'upsert', index, id: id('1'), document: { name: 'one' }, version: 1n });
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await liveIds(`${prefix}users`)).toEqual(['1']);
    await sink.close();
  });

  it('sets index.gc_deletes on new and existing generations', async () => {
    n += 1;
    const prefix = `g${Date.now().toString(36)}${n}_`;
    const before = sinkOf(prefix, { writeAliases: false, gcDeletes: undefined });
    await before.ensureIndex(spec);
    await before.close();
    const sink = sinkOf(prefix);
    await sink.ensureIndex(spec);
    await sink.reindex(index);
    const gcOf = async (name: string) => {
      const res = await reader.indices.getSettings({ index: name });
      return (res.body as Record<string, { settings: { index: { gc_deletes?: string } } }>)[name]?.settings
        .index.gc_deletes;
    };
    expect(await gcOf(`${prefix}users_h1_1`)).toBe('10m');
    expect(await gcOf(`${prefix}users_h1_2`)).toBe('10m');
    await sink.close();
  });
});
