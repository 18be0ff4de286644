import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  client = new Client({ node: emu.url });
  await client.indices.create({
    index: 'strict',
    body: {
      mappings: {
        dynamic: 'strict',
        properties: { name: { type: 'keyword' }, age: { type: 'integer' }, bio: { type: 'text' } },
      },
    },
  });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

const errorType = (e: unknown) => (e as { meta: { body: { error: { type: string } } } }).meta.body.error.type;
const statusOf = (e: unknown) => (e as { meta: { statusCode: number } }).meta.statusCode;

describe('OpenSearch emulator', () => {
  it('rejects an unknown field under dynamic: strict with strict_dynamic_mapping_exception', async () => {
    const err = await client
      .index({ index: 'strict', id: '1', body: { name: 'a', nope: 1 } })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(400);
    expect(errorType(err)).toBe('strict_dynamic_mapping_exception');
  });

  it('applies a matching index template to a new index, adds mapping fields, refuses a type change', async () => {
    await client.indices.putIndexTemplate({
      name: 'tenancy',
      body: {
        index_patterns: ['tpl-*'],
        template: { mappings: { properties: { _tenant: { type: 'keyword' } } } },
      },
    });
    await client.index({ index: 'tpl-orders', id: '1', body: { _tenant: 'acme-corp', n: 1 } });
    const mapping = await client.indices.getMapping({ index: 'tpl-orders' });
    expect(mapping.body['tpl-orders']?.mappings.properties?._tenant).toEqual({ type: 'keyword' });
    const listed = await client.indices.getIndexTemplate({ name: 'tenancy' });
    expect(listed.body.index_templates[0]?.name).toBe('tenancy');

    await client.indices.putMapping({
      index: 'tpl-orders',
      body: { properties: { note: { type: 'text' } } },
    });
    const added = await client.indices.getMapping({ index: 'tpl-orders' });
    expect(added.body['tpl-orders']?.mappings.properties?.note).toEqual({ type: 'text' });
    const err = await client.indices
      .putMapping({ index: 'tpl-orders', body: { properties: { _tenant: { type: 'text' } } } })
      .catch((e: unknown) => e);
    expect(errorType(err)).toBe('illegal_argument_exception');
    await client.indices.deleteIndexTemplate({ name: 'tenancy' });
    const gone = await client.indices.getIndexTemplate({ name: 'tenancy' }).catch((e: unknown) => e);
    expect(statusOf(gone)).toBe(404);
  });

  it('rejects a value of the wrong type with mapper_parsing_exception', async () => {
    const err = await client
      .index({ index: 'strict', id: '1', body: { age: 'old' } })
      .catch((e: unknown) => e);
    expect(errorType(err)).toBe('mapper_parsing_exception');
  });

  it('shows a write to GET at once but to search only after a refresh', async () => {
    await client.index({ index: 'strict', id: 'r1', body: { name: 'fresh' } });
    expect((await client.get({ index: 'strict', id: 'r1' })).body._source).toEqual({ name: 'fresh' });
    const before = await client.search({ index: 'strict', body: { query: { term: { name: 'fresh' } } } });
    expect(before.body.hits.total).toEqual({ value: 0, relation: 'eq' });
    await client.indices.refresh({ index: 'strict' });
    const after = await client.search({ index: 'strict', body: { query: { term: { name: 'fresh' } } } });
    expect(after.body.hits.hits.map((h) => h._id)).toEqual(['r1']);
  });

  it('answers a version conflict with 409 and the OpenSearch error body', async () => {
    const first = await client.index({ index: 'strict', id: 'v', body: { name: 'x' } });
    await client.index({ index: 'strict', id: 'v', body: { name: 'y' } });
    const err = await client
      .index({
        index: 'strict',
        id: 'v',
        body: { name: 'z' },
        if_seq_no: first.body._seq_no,
        if_primary_term: 1,
      })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(409);
    const body = (
      err as {
        meta: { body: { error: { root_cause: unknown[]; type: string; reason: string }; status: number } };
      }
    ).meta.body;
    expect(body.status).toBe(409);
    expect(body.error.type).toBe('version_conflict_engine_exception');
    expect(body.error.root_cause).toHaveLength(1);
    expect(body.error.reason).toMatch(/^\[v\]: version conflict/);
    const created = await client
      .create({ index: 'strict', id: 'v', body: { name: 'dup' } })
      .catch((e: unknown) => e);
    expect(statusOf(created)).toBe(409);
  });

  it('enforces external versioning', async () => {
    await client.index({
      index: 'strict',
      id: 'ext',
      body: { name: 'a' },
      version: 5,
      version_type: 'external',
    });
    const stale = await client
      .index({ index: 'strict', id: 'ext', body: { name: 'b' }, version: 5, version_type: 'external' })
      .catch((e: unknown) => e);
    expect(statusOf(stale)).toBe(409);
    const newer = await client.index({
      index: 'strict',
      id: 'ext',
      body: { name: 'c' },
      version: 6,
      version_type: 'external',
    });
    expect(newer.body._version).toBe(6);
  });

  it('reports per-item bulk results with real error bodies and the errors flag', async () => {
    const res = await client.bulk({
      refresh: true,
      body: [
        { index: { _index: 'strict', _id: 'b1' } },
        { name: 'ok' },
        { index: { _index: 'strict', _id: 'b2' } },
        { bogus: true },
        { delete: { _index: 'strict', _id: 'missing' } },
        { update: { _index: 'strict', _id: 'b1' } },
        { doc: { age: 3 } },
      ],
    });
    expect(res.body.errors).toBe(true);
    const items = res.body.items.map(
      (i) => Object.values(i)[0] as { status: number; result?: string; error?: { type: string } },
    );
    expect(items.map((i) => i.status)).toEqual([201, 400, 404, 200]);
    expect(items[1]?.error?.type).toBe('strict_dynamic_mapping_exception');
    expect(items[2]?.result).toBe('not_found');
    expect((await client.get({ index: 'strict', id: 'b1' })).body._source).toEqual({ name: 'ok', age: 3 });
  });

  it('swaps aliases atomically and rolls back a failing action list', async () => {
    await client.indices.create({ index: 'gen1' });
    await client.indices.create({ index: 'gen2' });
    await client.indices.putAlias({ index: 'gen1', name: 'live' });
    await client.index({ index: 'gen2', id: 'n', body: { v: 2 }, refresh: true });
    await client.indices.updateAliases({
      body: {
        actions: [{ remove: { index: 'gen1', alias: 'live' } }, { add: { index: 'gen2', alias: 'live' } }],
      },
    });
    expect((await client.search({ index: 'live' })).body.hits.hits.map((h) => h._index)).toEqual(['gen2']);
    const bad = await client.indices
      .updateAliases({
        body: {
          actions: [{ add: { index: 'gen1', alias: 'other' } }, { remove: { index: 'gen1', alias: 'nope' } }],
        },
      })
      .catch((e: unknown) => e);
    expect(statusOf(bad)).toBe(404);
    expect((await client.indices.existsAlias({ name: 'other' })).body).toBe(false);
  });

  it('pages with scroll and with a point in time, and answers mget, msearch, count and delete_by_query', async () => {
    await client.indices.create({ index: 'many' });
    await client.bulk({
      refresh: true,
      body: Array.from({ length: 25 }, (_, i) => [
        { index: { _index: 'many', _id: String(i), routing: 'r1' } },
        { n: i, tag: i % 2 ? 'odd' : 'even' },
      ]).flat(),
    });
    const first = await client.search({
      index: 'many',
      scroll: '1m',
      size: 10,
      body: { sort: [{ n: 'asc' }] },
    });
    const second = await client.scroll({
      body: { scroll_id: first.body._scroll_id as string, scroll: '1m' },
    });
    expect(second.body.hits.hits.map((h) => h._id)).toEqual([
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
    ]);
    const pit = await client.createPit({ index: ['many'], keep_alive: '1m' });
    await client.index({ index: 'many', id: 'late', body: { n: 99 }, refresh: true });
    const inPit = await client.search({
      body: { pit: { id: pit.body.pit_id, keep_alive: '1m' }, size: 100, query: { match_all: {} } },
    });
    expect(inPit.body.hits.total).toEqual({ value: 25, relation: 'eq' });
    const mget = await client.mget({ index: 'many', body: { ids: ['1', 'nope'] } });
    expect(mget.body.docs.map((d) => (d as { found: boolean }).found)).toEqual([true, false]);
    expect((mget.body.docs[0] as { _routing?: string })._routing).toBe('r1');
    const ms = await client.msearch({
      body: [
        { index: 'many' },
        { query: { term: { tag: 'odd' } }, size: 0 },
        { index: 'missing' },
        { query: { match_all: {} } },
      ],
    });
    expect(ms.body.responses.map((r) => (r as { status: number }).status)).toEqual([200, 404]);
    expect(
      (await client.count({ index: 'many', body: { query: { range: { n: { gte: 20 } } } } })).body.count,
    ).toBe(6);
    const del = await client.deleteByQuery({ index: 'many', body: { query: { term: { tag: 'even' } } } });
    expect((del.body as { deleted?: number }).deleted).toBe(13);
  });

  it('keeps the first page size and source filter for every scroll page, and reports unknown PITs as not closed', async () => {
    await client.indices.create({ index: 'pages' });
    await client.bulk({
      refresh: true,
      body: Array.from({ length: 12 }, (_, i) => [
        { index: { _index: 'pages', _id: String(i) } },
        { n: i, secret: 's' },
      ]).flat(),
    });
    const first = await client.search({
      index: 'pages',
      scroll: '1m',
      size: 5,
      body: { _source: ['n'], sort: [{ n: 'asc' }] },
    });
    const sizes = [first.body.hits.hits.length];
    let scrollId = first.body._scroll_id as string;
    for (;;) {
      const page = await client.scroll({ body: { scroll_id: scrollId, scroll: '1m' } });
      if (page.body.hits.hits.length === 0) break;
      sizes.push(page.body.hits.hits.length);
      expect(page.body.hits.hits.every((h) => h._source !== undefined && !('secret' in h._source))).toBe(
        true,
      );
      scrollId = page.body._scroll_id as string;
    }
    expect(sizes).toEqual([5, 5, 2]);
    const closed = await client.deletePit({ body: { pit_id: ['no-such-pit'] } });
    expect(closed.body.pits).toEqual([{ pit_id: 'no-such-pit', successful: false }]);
  });

  it('keeps indexes when an _aliases list with remove_index fails, and answers a missing alias with 404', async () => {
    await client.indices.create({ index: 'keep-me' });
    const err = await client.indices
      .updateAliases({
        body: {
          actions: [{ remove_index: { index: 'keep-me' } }, { add: { index: 'missing-index', alias: 'a' } }],
        },
      })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(404);
    expect((await client.indices.exists({ index: 'keep-me' })).body).toBe(true);
    const missing = await client.indices.getAlias({ name: 'no-such-alias' }).catch((e: unknown) => e);
    expect(statusOf(missing)).toBe(404);
  });

  it('injects faults: 429 for the next requests, refused connections, rejected items', async () => {
    emu.faults.failNext(1, 429);
    const err = await client.cluster.health().catch((e: unknown) => e);
    expect(statusOf(err)).toBe(429);
    expect((await client.cluster.health()).body.status).toBe('green');
    emu.faults.rejectItem = (_index, id) =>
      id === 'bad' ? { status: 400, type: 'mapper_parsing_exception' } : null;
    const res = await client.bulk({ body: [{ index: { _index: 'strict', _id: 'bad' } }, { name: 'x' }] });
    expect((res.body.items[0]?.index as { error: { type: string } } | undefined)?.error.type).toBe(
      'mapper_parsing_exception',
    );
    emu.faults.clear();
    emu.faults.refuseConnections = true;
    const raw = await fetch(`${emu.url}/`).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(Error);
    emu.faults.refuseConnections = false;
  });
  it('refuses a sort on a field that is unsigned_long in one index and another type in another', async () => {
    await client.indices.create({
      index: 'ul-a',
      body: { mappings: { properties: { n: { type: 'unsigned_long' } } } },
    });
    await client.indices.create({
      index: 'ul-b',
      body: { mappings: { properties: { n: { type: 'long' } } } },
    });
    await client.index({ index: 'ul-a', id: '1', body: { n: 1 }, refresh: true });
    await client.index({ index: 'ul-b', id: '1', body: { n: 2 }, refresh: true });
    const err = await client
      .search({ index: 'ul-*', body: { sort: [{ n: 'asc' }] } })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(400);
    expect(errorType(err)).toBe('search_phase_execution_exception');
    const ok = await client.search({ index: 'ul-a', body: { sort: [{ n: 'asc' }] } });
    expect(ok.body.hits.hits).toHaveLength(1);
  });
  it('matches a term on unsigned_long as indexed: exact beyond 2^53, decimal part dropped; _source as sent', async () => {
    await client.indices.create({
      index: 'ul-term',
      body: { mappings: { properties: { n: { type: 'unsigned_long' } } } },
    });
    await client.index({ index: 'ul-term', id: '1', body: { n: '10223372036854775807.23' }, refresh: true });
    const raw = await fetch(`${emu.url}/ul-term/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":{"term":{"n":10223372036854775807}}}',
    });
    const text = await raw.text();
    expect(text).toContain('"total":{"value":1');
    expect(text).toContain('"_source":{"n":"10223372036854775807.23"}');
    const miss = await fetch(`${emu.url}/ul-term/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":{"term":{"n":10223372036854775806}}}',
    });
    expect(await miss.text()).toContain('"total":{"value":0');
  });
});
