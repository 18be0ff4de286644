// The built osproxy in front of the OpenSearch emulator, spoken to with the
// official client (as an application would) and with raw requests.

import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, startProxy } from './osproxy-process.fixture.js';

let emu: Emulator;
let proxy: RunningProxy;
const TOKENS = 'tok-acme=app1:acme,tok-globex=app2:globex,tok-ops=ops';

function clientFor(token: string): Client {
  return new Client({ node: proxy.url, headers: { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  proxy = await startProxy({
    OSPROXY_UPSTREAM: emu.url,
    OSPROXY_TOKENS: TOKENS,
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_CURSOR_AFFINITY_KEY: 'e2e-cursor-key-0123456789',
  });
});

afterAll(async () => {
  await proxy?.stop();
  await emu?.close();
});

describe('osproxy end to end (built binary, emulator upstream)', () => {
  it('creates the shared index with keyword tenancy fields at start', () => {
    const index = emu.store.indexes.get('osproxy-shared');
    expect(index?.mappings).toMatchObject({ properties: { _tenant: { type: 'keyword' } } });
  });

  it('two tenants writing and searching the same logical index never see each other', async () => {
    const acme = clientFor('tok-acme');
    const globex = clientFor('tok-globex');
    await acme.index({
      index: 'orders',
      id: '1',
      body: { item: 'anvil', secret: 'acme-only' },
      refresh: true,
    });
    await globex.index({
      index: 'orders',
      id: '1',
      body: { item: 'widget', secret: 'globex-only' },
      refresh: true,
    });
    const a = await acme.search({ index: 'orders', body: { query: { match_all: {} } } });
    const g = await globex.search({ index: 'orders', body: { query: { match_all: {} } } });
    expect(a.body.hits.hits.map((h) => [h._index, h._id, h._source])).toEqual([
      ['orders', '1', { item: 'anvil', secret: 'acme-only' }],
    ]);
    expect(g.body.hits.hits.map((h) => [h._index, h._id, h._source])).toEqual([
      ['orders', '1', { item: 'widget', secret: 'globex-only' }],
    ]);
    const got = await globex.get({ index: 'orders', id: '1' });
    expect(got.body._source).toEqual({ item: 'widget', secret: 'globex-only' });
    // Aggregations count only what the tenant's filter matched, and source filtering still finds its own.
    const counted = await json(`${proxy.url}/orders/_search`, {
      headers: { authorization: 'Bearer tok-acme' },
      body: {
        size: 0,
        _source: ['item'],
        aggs: { items: { terms: { field: 'item.keyword' } }, top: { top_hits: { _source: ['item'] } } },
      },
    });
    const aggs = counted.body?.aggregations as {
      items: { buckets: { key: string; doc_count: number }[] };
      top: { hits: { hits: { _source: unknown }[] } };
    };
    expect(aggs.items.buckets).toEqual([{ key: 'anvil', doc_count: 1 }]);
    expect(aggs.top.hits.hits.map((h) => h._source)).toEqual([{ item: 'anvil' }]);
  });

  it('bulk, mget, msearch, count, scroll and PIT round-trip with logical ids', async () => {
    const acme = clientFor('tok-acme');
    const bulk = await acme.bulk({
      refresh: true,
      body: [
        { index: { _index: 'items', _id: 'a' } },
        { n: 1 },
        { index: { _index: 'items', _id: 'b' } },
        { n: 2 },
        { create: { _index: 'items', _id: 'c' } },
        { n: 3 },
        { delete: { _index: 'items', _id: 'nope' } },
      ],
    });
    expect(bulk.body.items.map((i) => Object.values(i)[0]?._id)).toEqual(['a', 'b', 'c', 'nope']);
    expect(bulk.body.items[3]?.delete?.result).toBe('not_found');
    const mget = await acme.mget({
      body: {
        docs: [
          { _index: 'items', _id: 'b' },
          { _index: 'items', _id: 'zz' },
        ],
      },
    });
    expect(mget.body.docs.map((d) => [(d as { _id: string })._id, (d as { found: boolean }).found])).toEqual([
      ['b', true],
      ['zz', false],
    ]);
    const ms = await acme.msearch({ body: [{ index: 'items' }, { query: { range: { n: { gte: 2 } } } }] });
    expect((ms.body.responses[0] as { hits: { total: { value: number } } }).hits.total.value).toBe(2);
    expect((await acme.count({ index: 'items' })).body.count).toBe(3);
    const first = await acme.search({
      index: 'items',
      scroll: '1m',
      size: 2,
      body: { sort: [{ n: 'asc' }] },
    });
    const ids = first.body.hits.hits.map((h) => h._id);
    const next = await acme.scroll({ body: { scroll_id: first.body._scroll_id as string, scroll: '1m' } });
    ids.push(...next.body.hits.hits.map((h) => h._id));
    expect(ids.sort()).toEqual(['a', 'b', 'c']);
    const pit = await acme.createPit({ index: ['items'], keep_alive: '1m' });
    const inPit = await acme.search({
      body: { pit: { id: pit.body.pit_id as string }, query: { match_all: {} } },
    });
    expect(inPit.body.hits.hits.map((h) => [h._index, h._id]).sort()).toEqual([
      ['items', 'a'],
      ['items', 'b'],
      ['items', 'c'],
    ]);
    const globexSees = await clientFor('tok-globex').count({ index: 'items' });
    expect(globexSees.body.count).toBe(0);
  });

  it('a forged cursor is 400 cursor_unresolvable with no upstream call', async () => {
    const before = emu.requests.length;
    const res = await json(`${proxy.url}/_search/scroll`, {
      headers: { authorization: 'Bearer tok-acme' },
      body: { scroll_id: '64656661756c74.00ff.6974656d73.FGluY2x1ZGVfY29udGV4dF91dWlk' },
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'cursor_unresolvable', retryable: false } });
    expect(emu.requests.length).toBe(before);
  });

  it('a token bound to acme naming globex is 403 tenant_mismatch; a bad token is 401', async () => {
    const mismatch = await json(`${proxy.url}/orders/_doc/9`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok-acme' },
      body: { tenant_id: 'globex', x: 1 },
    });
    expect(mismatch).toMatchObject({ status: 403, body: { error: 'tenant_mismatch', retryable: false } });
    const header = await json(`${proxy.url}/orders/_search`, {
      headers: { authorization: 'Bearer tok-acme', 'x-tenant': 'globex' },
    });
    expect(header.status).toBe(403);
    const bad = await json(`${proxy.url}/orders/_search`, { headers: { authorization: 'Bearer nope' } });
    expect(bad).toMatchObject({ status: 401, body: { error: 'auth_failed' } });
  });

  it('a 9 MiB body is 413; malformed JSON and NDJSON are 400 with a code', async () => {
    const big = `{"tenant_id":"acme","blob":"${'x'.repeat(9 * 1024 * 1024)}"}`;
    const tooBig = await json(`${proxy.url}/orders/_doc/1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok-acme' },
      raw: big,
    });
    expect(tooBig).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    const badJson = await json(`${proxy.url}/orders/_doc/1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok-acme' },
      raw: '{"a":',
    });
    expect(badJson).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    const badNd = await json(`${proxy.url}/_bulk`, {
      headers: { authorization: 'Bearer tok-acme', 'content-type': 'application/x-ndjson' },
      raw: '{"index":{"_index":"orders"}}\n{nope\n',
    });
    expect(badNd).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
  });

  it('gives every response a unique request id; explain shows a tenant its own records; metrics are on the admin listener', async () => {
    const a = await json(`${proxy.url}/orders/_count`, { headers: { authorization: 'Bearer tok-acme' } });
    const b = await json(`${proxy.url}/orders/_count`, { headers: { authorization: 'Bearer tok-acme' } });
    const idA = a.headers.get('x-request-id');
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(b.headers.get('x-request-id'));
    const explain = await json(`${proxy.url}/_osproxy/explain/${idA}`, {
      headers: { authorization: 'Bearer tok-acme' },
    });
    expect(explain.body).toMatchObject({
      endpointKind: 'Count',
      status: 200,
      partition: 'acme',
      placementMode: 'SharedIndex',
    });
    expect(explain.body).not.toHaveProperty('physicalIndex');
    const foreign = await json(`${proxy.url}/_osproxy/explain/${idA}`, {
      headers: { authorization: 'Bearer tok-globex' },
    });
    expect(foreign.status).toBe(404);
    const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/osproxy_requests_total\{kind="Count",status="200"\} \d+/);
    expect(metrics).toMatch(/osproxy_upstream_pool\{cluster="default",stat="reused"\} \d+/);
    expect(metrics).toContain('osproxy_tenancy_index_ready 1');
    expect(metrics).not.toContain('acme-only');
  });

  it('an async write without a configured queue is 422 unprocessable', async () => {
    const res = await json(`${proxy.url}/orders/_doc/q1`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok-acme', 'x-write-mode': 'async' },
      body: { v: 1 },
    });
    expect(res).toMatchObject({ status: 422, body: { error: 'unprocessable', retryable: false } });
  });

  it('admin endpoints are for operator tokens', async () => {
    const ops = await fetch(`${proxy.url}/_cluster/health`, { headers: { authorization: 'Bearer tok-ops' } });
    expect(ops.status).toBe(200);
    const tenant = await json(`${proxy.url}/_cluster/health`, {
      headers: { authorization: 'Bearer tok-acme' },
    });
    expect(tenant).toMatchObject({ status: 403, body: { error: 'unauthorized' } });
  });
});
