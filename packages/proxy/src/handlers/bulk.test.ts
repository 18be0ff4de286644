import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

describe('_bulk through the proxy', () => {
  it('demuxes a mixed-tenant bulk into one upstream _bulk, keeps item order and isolates', async () => {
    const h = harness();
    const res = await h.send('POST', '/_bulk?refresh=true', {
      ndjson: [
        { index: { _index: 'orders', _id: '1' } },
        { tenant_id: 'acme', total: 10 },
        { index: { _index: 'orders', _id: '1' } },
        { tenant_id: 'globex', total: 20 },
        { create: { _index: 'orders', _id: '2' } },
        { tenant_id: 'acme', total: 30 },
        { update: { _index: 'orders', _id: '1' } },
        { doc: { tenant_id: 'globex', total: 21 } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect(
      res.body.items.map(
        (i: Record<string, { _index: string; _id: string; status: number }>) => Object.keys(i)[0],
      ),
    ).toEqual(['index', 'index', 'create', 'update']);
    for (const item of res.body.items) {
      const inner = Object.values(item)[0] as { _index: string; _id: string };
      expect(inner._index).toBe('orders');
      expect(inner._id).toMatch(/^\d$/);
    }
    expect(h.upstream.ops.filter((op) => op.path === '/_bulk')).toHaveLength(1);
    const acme = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: { sort: [{ total: 'asc' }] },
    });
    expect(acme.body.hits.hits.map((x: { _source: { total: number } }) => x._source.total)).toEqual([10, 30]);
    const globex = await h.send('GET', '/orders/_doc/1', { tenant: 'globex' });
    expect(globex.body._source).toEqual({ tenant_id: 'globex', total: 21 });
  });

  it('positions and types per-item errors while the other items land', async () => {
    const h = harness();
    const res = await h.send('POST', '/orders/_bulk', {
      principal: { id: 'app', tenant: 'acme' as never },
      ndjson: [
        { index: { _id: 'a' } },
        { total: 1 },
        { index: { _id: 'b' } },
        { tenant_id: 'globex', total: 2 },
        { index: { _id: 'c' } },
        { _tenant: 'globex', total: 3 },
        { delete: { _id: 'zz' } },
        { create: { _id: 'a' } },
        { total: 4 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(true);
    const [ok, mismatch, injected, missing, conflict] = res.body.items.map(
      (i: object) => Object.values(i)[0],
    );
    expect(ok).toMatchObject({ _index: 'orders', _id: 'a', status: 201, result: 'created' });
    expect(mismatch).toMatchObject({ _id: 'b', status: 403, error: { type: 'tenant_mismatch' } });
    expect(injected).toMatchObject({ _id: 'c', status: 400, error: { type: 'malformed_request' } });
    expect(missing).toMatchObject({ _index: 'orders', _id: 'zz', status: 404, result: 'not_found' });
    expect(conflict).toMatchObject({
      _index: 'orders',
      _id: 'a',
      status: 409,
      error: { type: 'version_conflict_engine_exception' },
    });
    expect(JSON.stringify(res.body)).not.toContain('acme:');
    expect(JSON.stringify(res.body)).not.toContain('osproxy-shared');
    expect(h.upstream.store().indexes.get('osproxy-shared')?.docs.size).toBe(1);
  });

  it('reports a bulk delete as deleted', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/1', { body: { tenant_id: 'acme' } });
    const res = await h.send('POST', '/_bulk', {
      tenant: 'acme',
      ndjson: [{ delete: { _index: 'orders', _id: '1' } }],
    });
    expect(res.body.items[0].delete).toMatchObject({ _id: '1', result: 'deleted', status: 200 });
  });

  it('refuses a structurally broken body as a whole, with a code and no upstream call', async () => {
    const h = harness();
    for (const raw of [
      '{"index":{}}\n{"tenant_id":"acme"\n',
      '{"explode":{}}\n{}\n',
      '{"index":{}}\n',
      '\n',
    ]) {
      const res = await h.send('POST', '/orders/_bulk', { tenant: 'acme', raw });
      expect(res).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
    }
    expect(h.upstream.ops).toHaveLength(0);
  });
});
