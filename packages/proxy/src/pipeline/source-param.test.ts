// `?source=<body>&source_content_type=application/json` is a read's body in
// OpenSearch. The proxy forwarded no `source` and read no body, so a search or count
// quietly answered for everything the tenant has. The class: every endpoint that
// reads its body from `source` answers the query it names, screened by the grammar
// like any body (a lookup in it is refused before dispatch).
import { type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId } };
const q = (body: string, type = 'application/json') =>
  `source=${encodeURIComponent(body)}&source_content_type=${encodeURIComponent(type)}`;

async function seeded() {
  const h = harness();
  for (const [id, v] of [
    ['1', 'red'],
    ['2', 'blue'],
  ] as const)
    await h.send('PUT', `/orders/_doc/${id}?refresh=true`, { ...acme, body: { v } });
  return h;
}

const RED = '{"query":{"match":{"v":"red"}}}';

describe('the source parameter as a read body', () => {
  it('search, count and delete-by-query answer the query it names', async () => {
    const h = await seeded();
    const search = await h.send('GET', `/orders/_search?${q(RED)}`, acme);
    expect(search.body.hits.hits.map((hit: { _id: string }) => hit._id)).toEqual(['1']);
    const count = await h.send('GET', `/orders/_count?${q(RED)}`, acme);
    expect(count.body.count).toBe(1);
    const dbq = await h.send('POST', `/orders/_delete_by_query?refresh=true&${q(RED)}`, acme);
    expect(dbq.body.deleted).toBe(1);
    expect((await h.send('GET', '/orders/_count', acme)).body.count).toBe(1);
  });

  it('msearch and mget read it too', async () => {
    const h = await seeded();
    const multi = await h.send(
      'GET',
      `/_msearch?${q(`{"index":"orders"}\n${RED}\n`, 'application/x-ndjson')}`,
      acme,
    );
    expect(multi.body.responses[0].hits.hits.map((hit: { _id: string }) => hit._id)).toEqual(['1']);
    const got = await h.send('GET', `/orders/_mget?${q('{"ids":["2"]}')}`, acme);
    expect(got.body.docs[0]._source).toEqual({ v: 'blue' });
  });

  it('a construct the grammar refuses is refused there as in a body, before dispatch', async () => {
    const h = await seeded();
    const before = h.upstream.ops.length;
    const lookup = '{"query":{"terms":{"v":{"index":"orders","id":"1","path":"v"}}}}';
    const r = await h.send('GET', `/orders/_search?${q(lookup)}`, acme);
    expect(r.status).toBe(400);
    expect(h.upstream.ops.length).toBe(before);
  });

  it('needs a JSON source_content_type', async () => {
    const h = await seeded();
    const before = h.upstream.ops.length;
    expect((await h.send('GET', `/orders/_search?source=${encodeURIComponent(RED)}`, acme)).status).toBe(400);
    expect((await h.send('GET', `/orders/_search?${q(RED, 'application/yaml')}`, acme)).status).toBe(415);
    expect(h.upstream.ops.length).toBe(before);
  });

  it('a body of the request’s own wins, as in OpenSearch', async () => {
    const h = await seeded();
    const r = await h.send('POST', `/orders/_search?${q(RED)}`, {
      ...acme,
      body: { query: { match: { v: 'blue' } } },
    });
    expect(r.body.hits.hits.map((hit: { _id: string }) => hit._id)).toEqual(['2']);
  });
});
