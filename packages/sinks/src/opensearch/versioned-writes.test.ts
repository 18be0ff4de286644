// Externally versioned writes (flusso over Kafka): two workers build the same
// document from rows read at different times; whatever order their flushes land
// in, the index keeps the newer build, and a superseded write counts as written.
import { type DocumentId, parseIndexName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { OpenSearchSink } from './opensearch-sink.js';
import { reader, url, useTestCluster } from './test-cluster.fixture.js';

useTestCluster();
let n = 0;

const index = parseIndexName('users');
const id = (s: string) => s as DocumentId;
const mapping = { mappings: { dynamic: 'strict', properties: { name: { type: 'keyword' } } } };

async function worker(prefix: string): Promise<OpenSearchSink> {
  const sink = new OpenSearchSink({
    name: 'primary',
    url,
    prefix,
    numberOfReplicas: 0,
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
    tlsVerify: false,
  });
  await sink.ensureIndex({ name: index, mapping, hash: 'h1' });
  return sink;
}

async function stored(alias: string, doc: string): Promise<unknown> {
  await reader.indices.refresh({ index: alias });
  const res = await reader.get({ index: alias, id: doc }).catch(() => null);
  return res?.body._source ?? null;
}

describe('versioned writes', () => {
  it('keeps the newer build when the older one is flushed last (superseded counts as written)', async () => {
    n += 1;
    const prefix = `v${Date.now().toString(36)}${n}_`;
    const [a, b] = [await worker(prefix), await worker(prefix)];
    // Worker A read the rows at LSN 0/100 (older), worker B at 0/200 (newer); B flushes first.
    b.write({ op: 'upsert', index, id: id('1'), document: { name: 'new' }, version: 0x200n });
    expect(await b.flush(true)).toEqual({ written: 1, rejections: [] });
    a.write({ op: 'upsert', index, id: id('1'), document: { name: 'old' }, version: 0x100n });
    expect(await a.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await stored(`${prefix}users_h1`, '1')).toEqual({ name: 'new' });
    // The same build delivered twice (a redelivered record) is idempotent.
    b.write({ op: 'upsert', index, id: id('1'), document: { name: 'new' }, version: 0x200n });
    expect(await b.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await stored(`${prefix}users_h1`, '1')).toEqual({ name: 'new' });
    await Promise.all([a.close(), b.close()]);
  });

  it('a versioned delete leaves a tombstone: an older build flushed after it does not resurrect the document', async () => {
    n += 1;
    const prefix = `v${Date.now().toString(36)}${n}_`;
    const [a, b] = [await worker(prefix), await worker(prefix)];
    a.write({ op: 'upsert', index, id: id('7'), document: { name: 'first' }, version: 10n });
    await a.flush(true);
    b.write({ op: 'delete', index, id: id('7'), version: 30n });
    expect(await b.flush(true)).toEqual({ written: 1, rejections: [] });
    a.write({ op: 'upsert', index, id: id('7'), document: { name: 'stale' }, version: 20n });
    expect(await a.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await stored(`${prefix}users_h1`, '7')).toBeNull();
    // A newer build (the row came back) wins over the tombstone.
    a.write({ op: 'upsert', index, id: id('7'), document: { name: 'back' }, version: 40n });
    await a.flush(true);
    expect(await stored(`${prefix}users_h1`, '7')).toEqual({ name: 'back' });
    await Promise.all([a.close(), b.close()]);
  });

  it('spells a version past 32 bits exactly (an LSN: WAL position in bytes)', async () => {
    n += 1;
    const prefix = `v${Date.now().toString(36)}${n}_`;
    const a = await worker(prefix);
    const big = 0x1_2345_6789_abcdn;
    a.write({ op: 'upsert', index, id: id('9'), document: { name: 'big' }, version: big });
    await a.flush(true);
    // Read as text: a JSON parse would round the version through a double.
    const text = await (await fetch(`${url}/${prefix}users_h1/_doc/9`)).text();
    expect(/"_version":(\d+)/.exec(text)?.[1]).toBe(big.toString());
    await a.close();
  });
});
