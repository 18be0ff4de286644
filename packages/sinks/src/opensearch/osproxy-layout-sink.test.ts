// The osproxy layout against the emulator: documents land where osproxy reads
// them, a tenant change moves a document, deletes and reindex touch only their
// own logical index.
import { type DocumentId, type IndexName, parseIndexName, RawNumber } from '@flusso/core';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsproxyLayoutSink } from './osproxy-layout-sink.js';

let emu: Emulator;
let reader: Client;
let n = 0;

beforeAll(async () => {
  emu = await startEmulator();
  reader = new Client({ node: emu.url });
});
afterAll(async () => {
  await reader?.close();
  await emu?.close();
});

const mapping = {
  mappings: {
    dynamic: 'strict',
    properties: { title: { type: 'keyword' }, total: { type: 'long' }, _tenant: { type: 'keyword' } },
  },
};
const id = (s: string) => s as DocumentId;

async function fresh(template?: string) {
  n += 1;
  const shared = template ?? `shared${n}`;
  const sink = new OsproxyLayoutSink({
    name: 'primary',
    url: emu.url,
    prefix: `p${n}_`,
    layout: { index: shared },
    numberOfReplicas: 0,
    backoff: { initialMs: 1, maxMs: 5, factor: 2 },
  });
  const tickets = parseIndexName('tickets');
  const notes = parseIndexName('notes');
  await sink.ensureIndex({ name: tickets, mapping, hash: 'h1' });
  await sink.ensureIndex({ name: notes, mapping, hash: 'h1' });
  return { sink, tickets, notes, shared };
}

async function docs(index: string): Promise<Record<string, unknown>> {
  await reader.indices.refresh({ index });
  const res = await reader.search({ index, body: { size: 100, query: { match_all: {} } } });
  const hits = res.body.hits.hits as { _id: string; _routing?: string; _source: unknown }[];
  return Object.fromEntries(hits.map((h) => [h._id, { routing: h._routing, ...(h._source as object) }]));
}

const upsert = (index: IndexName, key: string, tenant: string) => ({
  op: 'upsert' as const,
  index,
  id: id(key),
  document: { title: `t${key}`, total: new RawNumber('1234567890123456789'), _tenant: tenant },
});

describe('OsproxyLayoutSink', () => {
  it('writes each document as osproxy would: shared index, tenant:index:id, routing, injected fields', async () => {
    const { sink, tickets, shared } = await fresh();
    sink.write(upsert(tickets, '1', 'acme'));
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await docs(shared)).toEqual({
      'acme:tickets:1': {
        routing: 'acme',
        title: 't1',
        total: expect.any(Number),
        _tenant: 'acme',
        _index_name: 'tickets',
      },
    });
  });

  it('moves a document whose tenant changed and deletes a row under whatever tenant held it', async () => {
    const { sink, tickets, notes, shared } = await fresh();
    sink.write(upsert(tickets, '1', 'acme'));
    sink.write(upsert(tickets, '2', 'acme'));
    sink.write(upsert(notes, '1', 'acme'));
    await sink.flush(false);
    sink.write(upsert(tickets, '1', 'globex'));
    sink.write({ op: 'delete', index: tickets, id: id('2') });
    const report = await sink.flush(true);
    expect(report.rejections).toEqual([]);
    expect(Object.keys(await docs(shared)).sort()).toEqual(['acme:notes:1', 'globex:tickets:1']);
  });

  it('rejects a document without a valid tenant, naming no value', async () => {
    const { sink, tickets } = await fresh();
    sink.write({
      op: 'upsert',
      index: tickets,
      id: id('9'),
      document: { title: 'x', _tenant: 'Not Valid!' },
    });
    const report = await sink.flush(true);
    expect(report.rejections).toMatchObject([{ id: '9', status: 400, type: 'tenant_invalid' }]);
  });

  it('reindexes one logical index without touching the others in the shared index', async () => {
    const { sink, tickets, notes, shared } = await fresh();
    sink.write(upsert(tickets, '1', 'acme'));
    sink.write(upsert(notes, '1', 'globex'));
    await sink.flush(true);
    await sink.markSeeded(tickets);
    await sink.reindex(tickets);
    expect(await sink.isSeeded(tickets)).toBe(false);
    expect(Object.keys(await docs(shared))).toEqual(['globex:notes:1']);
  });

  it('keeps its seeded state across restarts and maps the injected fields as keyword', async () => {
    const { sink, tickets, shared } = await fresh();
    await sink.markSeeded(tickets);
    const again = new OsproxyLayoutSink({
      name: 'primary',
      url: emu.url,
      prefix: `p${n}_`,
      layout: { index: shared },
    });
    await again.ensureIndex({ name: tickets, mapping, hash: 'h1' });
    expect(await again.isSeeded(tickets)).toBe(true);
    const res = await reader.indices.getMapping({ index: shared });
    const properties = (res.body[shared] as { mappings: { properties: Record<string, unknown> } }).mappings
      .properties;
    expect(properties._tenant).toEqual({ type: 'keyword' });
    expect(properties._index_name).toEqual({ type: 'keyword' });
  });

  it('refuses an index whose schema names no tenant', async () => {
    const { sink } = await fresh();
    const plain = { mappings: { dynamic: 'strict', properties: { title: { type: 'keyword' } } } };
    await expect(
      sink.ensureIndex({ name: parseIndexName('plain'), mapping: plain, hash: 'h1' }),
    ).rejects.toMatchObject({
      code: 'config_invalid',
    });
  });

  it('uses tenant:id in a per-logical-index template', async () => {
    const { sink, tickets } = await fresh(`per${n + 1}-{index}`);
    sink.write(upsert(tickets, '1', 'acme'));
    await sink.flush(true);
    expect(Object.keys(await docs(`per${n}-tickets`))).toEqual(['acme:1']);
  });

  it('keeps the newer build when an older one lands last (Kafka mode), for upserts and deletes', async () => {
    const { sink, tickets, shared } = await fresh();
    const built = (title: string, version: bigint) => ({
      ...upsert(tickets, '1', 'acme'),
      document: { title, _tenant: 'acme' },
      version,
    });
    sink.write(built('new', 0x200n));
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    // The older build, flushed last: superseded, counted as written, not stored.
    sink.write(built('old', 0x100n));
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(await docs(shared)).toMatchObject({ 'acme:tickets:1': { title: 'new' } });
    // An older delete does not remove the newer document either.
    sink.write({ op: 'delete', index: tickets, id: id('1'), version: 0x150n });
    expect(await sink.flush(true)).toEqual({ written: 1, rejections: [] });
    expect(Object.keys(await docs(shared))).toEqual(['acme:tickets:1']);
  });
});
