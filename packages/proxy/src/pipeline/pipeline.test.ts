import type { JsonValue } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from '../testing/emulator-upstream.fixture.js';
import { harness } from '../testing/proxy.fixture.js';

describe('ProxyPipeline over a shared index', () => {
  it('writes a tenant document as {partition}:{id}, routed and injected, and reads back the logical document', async () => {
    const h = harness({ tenancy: new ReferenceTenancy({ idFromBody: 'id' }) });
    const put = await h.send('POST', '/orders/_doc?refresh=true', {
      body: { tenant_id: 'acme', id: 7, msg: 'hi' },
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ _index: 'orders', _id: '7', result: 'created' });
    const stored = h.upstream.store().indexes.get('osproxy-shared')?.docs.get('acme:orders:7');
    expect(stored?.source).toEqual({
      tenant_id: 'acme',
      id: 7,
      msg: 'hi',
      _tenant: 'acme',
      _index_name: 'orders',
    });
    expect(stored?.routing).toBe('acme');
    const got = await h.send('GET', '/orders/_doc/7', { tenant: 'acme' });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      _index: 'orders',
      _id: '7',
      found: true,
      _source: { tenant_id: 'acme', id: 7, msg: 'hi' },
    });
    expect(got.body._routing).toBeUndefined();
    expect(got.body._source._tenant).toBeUndefined();
  });

  it('inject-then-strip is identity for any client document', async () => {
    const h = harness();
    const doc = { tenant_id: 'acme', nested: { a: [1, 2], b: null, c: { d: 'deep' } }, text: 'x', n: 1.5 };
    await h.send('PUT', '/things/_doc/k1?refresh=true', { body: doc });
    expect((await h.send('GET', '/things/_doc/k1', { tenant: 'acme' })).body._source).toEqual(doc);
    const hits = (await h.send('POST', '/things/_search', { tenant: 'acme', body: {} })).body.hits.hits;
    expect(hits.map((x: { _source: unknown }) => x._source)).toEqual([doc]);
  });

  it('another tenant gets OpenSearch 404 shapes for GET and DELETE of a document it does not own', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1?refresh=true', { body: { tenant_id: 'acme', v: 1 } });
    const get = await h.send('GET', '/orders/_doc/1', { tenant: 'globex' });
    expect(get).toMatchObject({ status: 404, body: { _index: 'orders', _id: '1', found: false } });
    const head = await h.send('HEAD', '/orders/_doc/1', { tenant: 'globex' });
    expect(head).toMatchObject({ status: 404, body: null });
    const del = await h.send('DELETE', '/orders/_doc/1', { tenant: 'globex' });
    expect(del).toMatchObject({ status: 404, body: { _index: 'orders', _id: '1', result: 'not_found' } });
    expect((await h.send('GET', '/orders/_doc/1', { tenant: 'acme' })).status).toBe(200);
    const mine = await h.send('DELETE', '/orders/_doc/1', { tenant: 'acme' });
    expect(mine).toMatchObject({ status: 200, body: { _index: 'orders', _id: '1', result: 'deleted' } });
  });

  it('honours URL ids and _create semantics', async () => {
    const h = harness();
    const first = await h.send('PUT', '/orders/_create/9', { body: { tenant_id: 'acme', a: 1 } });
    expect(first).toMatchObject({ status: 201, body: { _id: '9', result: 'created' } });
    const again = await h.send('PUT', '/orders/_create/9', { body: { tenant_id: 'acme', a: 2 } });
    expect(again.status).toBe(409);
    expect(again.body.error.type).toBe('version_conflict_engine_exception');
    expect(JSON.stringify(again.body)).not.toContain('osproxy-shared');
    expect(JSON.stringify(again.body)).not.toContain('acme:');
    const other = await h.send('PUT', '/orders/_create/9', { body: { tenant_id: 'globex', a: 3 } });
    expect(other.status).toBe(201);
    const auto = await h.send('POST', '/orders/_doc', { body: { tenant_id: 'acme', a: 4 } });
    expect(auto.status).toBe(201);
    expect((await h.send('GET', `/orders/_doc/${auto.body._id}`, { tenant: 'acme' })).body._source.a).toBe(4);
  });

  it('_update injects into doc and upsert, keeps the tenant, and refuses scripts on a shared index', async () => {
    const h = harness();
    const up = await h.send('POST', '/orders/_update/5', {
      tenant: 'acme',
      body: { doc: { status: 'new' }, doc_as_upsert: true },
    });
    expect(up.status).toBe(201);
    await h.send('POST', '/orders/_update/5?refresh=true', {
      tenant: 'acme',
      body: { doc: { status: 'paid' } },
    });
    const got = await h.send('GET', '/orders/_doc/5', { tenant: 'acme' });
    expect(got.body._source).toEqual({ status: 'paid' });
    expect(h.upstream.store().indexes.get('osproxy-shared')?.docs.get('acme:orders:5')?.source._tenant).toBe(
      'acme',
    );
    const hits = (
      await h.send('POST', '/orders/_search', {
        tenant: 'acme',
        body: { query: { term: { status: 'paid' } } },
      })
    ).body;
    expect(hits.hits.total.value).toBe(1);
    const script = await h.send('POST', '/orders/_update/5', {
      tenant: 'acme',
      body: { script: { source: "ctx._source._tenant = 'globex'" } },
    });
    expect(script).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
  });

  it('with an {index} template, logical indexes are separate shared indexes and id spaces', async () => {
    const h = harness({ tenancy: new ReferenceTenancy({ index: 'osproxy-{index}' }) });
    await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme', kind: 'order' } });
    await h.send('PUT', '/users/_doc/1?refresh=true', { body: { tenant_id: 'acme', kind: 'user' } });
    expect((await h.send('GET', '/orders/_doc/1', { tenant: 'acme' })).body._source.kind).toBe('order');
    expect((await h.send('GET', '/users/_doc/1', { tenant: 'acme' })).body._source.kind).toBe('user');
    expect([...h.upstream.store().indexes.keys()].sort()).toEqual([
      'osproxy-orders',
      'osproxy-shared',
      'osproxy-users',
    ]);
  });

  it('refuses a client document that carries an injected field', async () => {
    const h = harness();
    const res = await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme', _tenant: 'globex' } });
    expect(res).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
    expect(h.upstream.ops).toHaveLength(0);
  });

  it('search filters to the partition and strips, count and delete_by_query are partition-scoped', async () => {
    const h = harness();
    for (const [tenant, n] of [
      ['acme', 3],
      ['globex', 2],
    ] as const) {
      for (let i = 0; i < n; i++)
        await h.send('PUT', `/orders/_doc/${i}`, { body: { tenant_id: tenant, i, tag: 'x' } });
    }
    await h.send('POST', '/orders/_doc/z?refresh=true', { body: { tenant_id: 'acme', tag: 'y' } });
    const search = await h.send('POST', '/orders/_search', {
      tenant: 'globex',
      body: { query: { match_all: {} }, size: 50 },
    });
    expect(search.body.hits.total.value).toBe(2);
    for (const hit of search.body.hits.hits) {
      expect(hit._index).toBe('orders');
      expect(hit._source.tenant_id).toBe('globex');
      expect(hit._source._tenant).toBeUndefined();
      expect(hit._id).toMatch(/^\d$/);
    }
    const count = await h.send('POST', '/orders/_count', {
      tenant: 'acme',
      body: { query: { term: { tag: 'x' } } },
    });
    expect(count.body.count).toBe(3);
    const dbq = await h.send('POST', '/orders/_delete_by_query?refresh=true', {
      tenant: 'acme',
      body: { query: { match_all: {} } },
    });
    expect(dbq.body.deleted).toBe(4);
    expect((await h.send('GET', '/orders/_count', { tenant: 'acme' })).body.count).toBe(0);
    expect((await h.send('GET', '/orders/_count', { tenant: 'globex' })).body.count).toBe(2);
  });

  it('refuses suggest, unfiltered aggregations, lookups and unknown top-level keys, without dispatch', async () => {
    const h = harness();
    const bodies: JsonValue[] = [
      { suggest: { s: { text: 'x', term: { field: 'msg' } } } },
      { aggs: { all: { global: {}, aggs: { n: { value_count: { field: 'id' } } } } } },
      { aggs: { t: { terms: { field: 'x' }, aggs: { g: { global: {} } } } } },
      { query: { terms: { id: { index: 'osproxy-shared', id: 'globex:1', path: 'ids' } } } },
      { query: { more_like_this: { like: [{ _index: 'orders', _id: '1' }] } } },
      { aggs: { sig: { significant_terms: { field: 'v' } } } },
      { aggs: { t: { terms: { field: 'x' }, aggs: { s: { significant_text: { field: 'msg' } } } } } },
      // An inline search pipeline could rewrite the query after the proxy wrapped it.
      { search_pipeline: { request_processors: [{ filter_query: { query: { match_all: {} } } }] } },
      { derived: { _tenant: { type: 'keyword', script: "emit('acme')" } } },
      { runtime_mappings: { _tenant: { type: 'keyword' } } },
      { indices_boost: [{ 'other-*': 2 }] },
    ];
    for (const body of bodies) {
      const res = await h.send('POST', '/orders/_search', { tenant: 'acme', body });
      expect(res).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
    }
    expect(h.upstream.ops).toHaveLength(0);
  });

  it('honours source filtering and sort (URL or body) on a shared index, and refuses a URL query', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme', n: 1, v: 'a' } });
    await h.send('PUT', '/orders/_doc/2?refresh=true', { body: { tenant_id: 'acme', n: 2, v: 'b' } });
    const sorted = await h.send('GET', '/orders/_search?sort=n:desc&_source_includes=v', { tenant: 'acme' });
    expect(sorted.body.hits.hits.map((hit: { _id: string }) => hit._id)).toEqual(['2', '1']);
    expect(sorted.body.hits.hits[0]._source).toEqual({ v: 'b' });
    // Source filtering that leaves out the tenancy fields still finds the tenant's own documents.
    const narrowed = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: { _source: { includes: ['v'], excludes: ['_*'] }, sort: [{ n: 'asc' }] },
    });
    expect(narrowed.body.hits.hits.map((hit: { _source: unknown }) => hit._source)).toEqual([
      { v: 'a' },
      { v: 'b' },
    ]);
    const got = await h.send('GET', '/orders/_doc/1?_source_includes=v&_source_excludes=_tenant', {
      tenant: 'acme',
    });
    expect(got).toMatchObject({ status: 200, body: { found: true, _source: { v: 'a' } } });
    const many = await h.send('POST', '/_mget', {
      tenant: 'acme',
      body: { docs: [{ _index: 'orders', _id: '2', _source: ['v'] }] },
    });
    expect(many.body.docs[0]).toMatchObject({ found: true, _source: { v: 'b' } });
    const top = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: { size: 0, aggs: { top: { top_hits: { size: 5, _source: ['v'], sort: [{ n: 'desc' }] } } } },
    });
    expect(top.body.aggregations.top.hits.hits.map((hit: { _source: unknown }) => hit._source)).toEqual([
      { v: 'b' },
      { v: 'a' },
    ]);
    const bare = await h.send('GET', '/orders/_search?_source=false', { tenant: 'acme' });
    expect(bare.body.hits.hits[0]._source).toBeUndefined();
    const before = h.upstream.ops.length;
    const q = await h.send('GET', '/orders/_search?q=_tenant:globex', { tenant: 'acme' });
    expect(q).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    const counted = await h.send('GET', '/orders/_count?q=v:a', { tenant: 'acme' });
    expect(counted.status).toBe(400);
    // Dropping `q` (or a missing body query) would turn these into "delete everything I have".
    const dbqUrl = await h.send('POST', '/orders/_delete_by_query?q=v:a', { tenant: 'acme' });
    expect(dbqUrl).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    const dbqBare = await h.send('POST', '/orders/_delete_by_query', { tenant: 'acme', body: {} });
    expect(dbqBare).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    expect(h.upstream.ops).toHaveLength(before);
  });

  it('names no physical index or id in explained hits, shard failures or delete-by-query failures', async () => {
    // OpenSearch adds `_shard`/`_node` to explained hits and lists partial shard failures
    // by physical index; the emulator has one shard, so the reply is dressed up here.
    const upstream = new EmulatorUpstream();
    const plain = upstream.search;
    upstream.search = async (op) => {
      const reply = await plain(op);
      const body = JSON.parse(new TextDecoder().decode(reply.body));
      for (const hit of body.hits?.hits ?? [])
        Object.assign(hit, { _shard: '[osproxy-shared][0]', _node: 'n1' });
      body._shards = {
        total: 2,
        successful: 1,
        failed: 1,
        failures: [
          {
            shard: 1,
            index: 'osproxy-shared',
            node: 'n2',
            reason: { type: 'query_shard_exception', reason: 'failed to create query on [osproxy-shared]' },
          },
        ],
      };
      if (op.path.endsWith('/_delete_by_query')) {
        body.failures = [
          {
            index: 'osproxy-shared',
            id: 'acme:orders:1',
            cause: { type: 'version_conflict_engine_exception', reason: '[acme:orders:1]: version conflict' },
            status: 409,
          },
        ];
      }
      return { ...reply, body: new TextEncoder().encode(JSON.stringify(body)) };
    };
    const h = harness({ upstream });
    await h.send('PUT', '/orders/_doc/1?refresh=true', { body: { tenant_id: 'acme', v: 'a' } });
    const res = await h.send('POST', '/orders/_search', { tenant: 'acme', body: { size: 5 } });
    expect(res.body.hits.hits).toHaveLength(1);
    expect(res.body._shards.failures).toEqual([
      {
        shard: 1,
        index: 'orders',
        reason: { type: 'query_shard_exception', reason: 'failed to create query on [orders]' },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('osproxy-shared');
    const dbq = await h.send('POST', '/orders/_delete_by_query', {
      tenant: 'acme',
      body: { query: { term: { v: 'nothing' } } },
    });
    expect(dbq.body.failures).toEqual([
      {
        index: 'orders',
        id: '1',
        cause: { type: 'version_conflict_engine_exception', reason: '[1]: version conflict' },
        status: 409,
      },
    ]);
    expect(JSON.stringify(dbq.body)).not.toContain('osproxy-shared');
  });

  it('a should clause naming another tenant cannot widen the filter', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme', v: 'a' } });
    await h.send('PUT', '/orders/_doc/2?refresh=true', { body: { tenant_id: 'globex', v: 'secret' } });
    const res = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: {
        query: {
          bool: {
            should: [{ term: { tenant_id: 'globex' } }, { ids: { values: ['2'] } }],
            minimum_should_match: 1,
          },
        },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.body.hits.hits).toEqual([]);
    const injected = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: { query: { term: { _tenant: 'globex' } } },
    });
    expect(injected.status).toBe(400);
  });

  it('errors name the code only and carry no values', async () => {
    const h = harness();
    const noTenant = await h.send('PUT', '/orders/_doc/1', { body: { v: 'top secret' } });
    expect(noTenant).toMatchObject({
      status: 400,
      body: { error: 'partition_unresolved', retryable: false },
    });
    const badJson = await h.send('PUT', '/orders/_doc/1', { tenant: 'acme', raw: '{"v": "top secret"' });
    expect(badJson).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
    expect(JSON.stringify(badJson.body)).not.toContain('secret');
    // The reason travels in a header, as a fixed sentence without the request's values.
    expect(badJson.headers['x-osproxy-reason']).toBe('request body is not valid JSON');
    expect(noTenant.headers['x-osproxy-reason']).not.toContain('secret');
    const unknown = await h.send('POST', '/orders/_rollover', { tenant: 'acme' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unsupported_endpoint' } });
    const traversal = await h.send('GET', '/orders/_doc/..%2F..%2F_cat', { tenant: 'acme' });
    expect(traversal).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    expect(h.upstream.ops).toHaveLength(0);
  });

  it('keeps a shape-only explain record of each decision', async () => {
    const h = harness();
    const res = await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme', secret: 'value-xyz' } });
    const record = h.explain.get(res.requestId);
    expect(record).toMatchObject({
      endpointKind: 'IngestDoc',
      status: 201,
      partition: 'acme',
      placementMode: 'SharedIndex',
      physicalIndex: 'osproxy-shared',
      upstreamCalls: 1,
    });
    expect(JSON.stringify(record)).not.toContain('value-xyz');
  });
});
