import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

async function seeded() {
  const h = harness();
  await h.send('POST', '/_bulk?refresh=true', {
    ndjson: [
      { index: { _index: 'orders', _id: '1' } },
      { tenant_id: 'acme', v: 'a1' },
      { index: { _index: 'orders', _id: '2' } },
      { tenant_id: 'globex', v: 'g2' },
      { index: { _index: 'users', _id: 'u1' } },
      { tenant_id: 'acme', v: 'u1' },
    ],
  });
  return h;
}

describe('_mget and _msearch through the proxy', () => {
  it('mget answers positionally, logical ids, other tenants as not found', async () => {
    const h = await seeded();
    const res = await h.send('POST', '/_mget', {
      tenant: 'acme',
      body: {
        docs: [
          { _index: 'orders', _id: '1' },
          { _index: 'orders', _id: '2' },
          { _index: 'users', _id: 'u1' },
          { _id: 'x' },
        ],
      },
    });
    const [own, foreign, other, broken] = res.body.docs;
    expect(own).toMatchObject({
      _index: 'orders',
      _id: '1',
      found: true,
      _source: { v: 'a1', tenant_id: 'acme' },
    });
    expect(own._source._tenant).toBeUndefined();
    expect(foreign).toEqual({ _index: 'orders', _id: '2', found: false });
    expect(other).toMatchObject({ _index: 'users', _id: 'u1', found: true });
    expect(broken).toMatchObject({ status: 400, error: { type: 'malformed_request' } });
    expect(JSON.stringify(res.body)).not.toContain('g2');
    const byIds = await h.send('POST', '/orders/_mget', { tenant: 'globex', body: { ids: ['1', '2'] } });
    expect(byIds.body.docs.map((d: { found: boolean }) => d.found)).toEqual([false, true]);
  });

  it('msearch cannot escape the filter and answers each pair in order', async () => {
    const h = await seeded();
    const res = await h.send('POST', '/_msearch', {
      tenant: 'acme',
      ndjson: [
        { index: 'orders' },
        { query: { match_all: {} } },
        { index: 'orders', routing: 'globex', preference: '_local' },
        { query: { bool: { should: [{ term: { _tenant: 'globex' } }] } } },
        { index: 'orders' },
        { suggest: { s: { text: 'g', term: { field: 'v' } } } },
        { index: 'users' },
        { query: { ids: { values: ['u1'] } } },
      ],
    });
    expect(res.status).toBe(200);
    const [all, should, suggest, users] = res.body.responses;
    expect(all.hits.hits.map((x: { _id: string }) => x._id)).toEqual(['1']);
    expect(should).toMatchObject({ status: 400, error: { type: 'malformed_request' } });
    expect(suggest).toMatchObject({ status: 400, error: { type: 'malformed_request' } });
    expect(users.hits.hits[0]).toMatchObject({ _index: 'users', _id: 'u1' });
    expect(JSON.stringify(res.body)).not.toContain('g2');
    expect(JSON.stringify(res.body)).not.toContain('_tenant');
  });
});
