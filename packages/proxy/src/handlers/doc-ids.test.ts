// issue 12: a body id never overwrites, and every document of a write must be the tenant's.
import { parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { harness } from '../testing/proxy.fixture.js';

const acme = { principal: { id: 'app-acme', tenant: parsePartitionId('acme') } };

describe('POST /{index}/_doc', () => {
  it('gets an auto id, as in OpenSearch: a body id field never overwrites a document', async () => {
    const h = harness();
    await h.send('PUT', '/orders/_doc/7?refresh=true', { ...acme, body: { id: 7, v: 'original' } });
    const posted = await h.send('POST', '/orders/_doc?refresh=true', {
      ...acme,
      body: { id: 7, v: 'intruder' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body._id).not.toBe('7');
    expect((await h.send('GET', '/orders/_doc/7', acme)).body._source).toEqual({ id: 7, v: 'original' });
    const again = await h.send('GET', `/orders/_doc/${posted.body._id}`, acme);
    expect(again.body._source).toEqual({ id: 7, v: 'intruder' });
  });

  it('with the id-from-body rule, takes the body id and creates: 409 when it is taken', async () => {
    const h = harness({ tenancy: new ReferenceTenancy({ idFromBody: 'id' }) });
    const first = await h.send('POST', '/orders/_doc?refresh=true', {
      ...acme,
      body: { id: 7, v: 'original' },
    });
    expect(first.body).toMatchObject({ _id: '7', result: 'created' });
    const second = await h.send('POST', '/orders/_doc?refresh=true', {
      ...acme,
      body: { id: 7, v: 'intruder' },
    });
    expect(second.status).toBe(409);
    expect((await h.send('GET', '/orders/_doc/7', acme)).body._source).toEqual({ id: 7, v: 'original' });
    // A URL id still indexes (overwrites) as the client asked.
    const put = await h.send('PUT', '/orders/_doc/7', { ...acme, body: { id: 7, v: 'replaced' } });
    expect(put.body.result).toBe('updated');
  });

  it('keeps a large integer body id exact', async () => {
    const h = harness({ tenancy: new ReferenceTenancy({ idFromBody: 'id' }) });
    const posted = await h.send('POST', '/orders/_doc', { ...acme, raw: '{"id":1234567890123456789}' });
    expect(posted.body._id).toBe('1234567890123456789');
  });
});

describe('tenant claims in every document of a write', () => {
  it('refuses an update whose upsert names another tenant (bound principal and open mode)', async () => {
    const h = harness();
    const bound = await h.send('POST', '/orders/_update/1', {
      ...acme,
      body: { doc: { v: 1 }, upsert: { v: 1, tenant_id: 'globex' } },
    });
    expect(bound.status).toBe(403);
    expect(bound.body.error).toBe('tenant_mismatch');
    const open = await h.send('POST', '/orders/_update/1', {
      body: { doc: { tenant_id: 'acme' }, upsert: { tenant_id: 'globex' } },
    });
    expect(open.body.error).toBe('tenant_mismatch');
    expect(h.upstream.ops).toHaveLength(0);
  });

  it('refuses a bulk update item whose upsert names another tenant, the others going ahead', async () => {
    const h = harness();
    const res = await h.send('POST', '/_bulk', {
      ...acme,
      ndjson: [
        { update: { _index: 'orders', _id: '1' } },
        { doc: { v: 1 }, upsert: { v: 1, tenant_id: 'globex' } },
        { index: { _index: 'orders', _id: '2' } },
        { v: 2 },
      ],
    });
    expect(res.body.items[0].update).toMatchObject({ status: 403, error: { type: 'tenant_mismatch' } });
    expect(res.body.items[1].index.status).toBe(201);
  });
});
