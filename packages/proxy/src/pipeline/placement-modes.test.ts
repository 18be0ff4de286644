import { type Placement, parseClusterId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { InMemoryPlacementTable } from '../placement/in-memory-placement-table.js';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from '../testing/emulator-upstream.fixture.js';
import { harness } from '../testing/proxy.fixture.js';

function withPlacements(entries: [string, Placement][]) {
  const placements = new InMemoryPlacementTable({
    entries: new Map(entries.map(([p, placement]) => [parsePartitionId(p), placement])),
  });
  const upstream = new EmulatorUpstream(['default', 'big']);
  return harness({ upstream, tenancy: new ReferenceTenancy({ placements }) });
}

describe('placement modes', () => {
  it('DedicatedIndex: body and id unchanged, no routing, physical index per partition, logical view back', async () => {
    const h = withPlacements([
      [
        'acme',
        { mode: 'DedicatedIndex', cluster: parseClusterId('default'), indexTemplate: '{index}-{partition}' },
      ],
    ]);
    const put = await h.send('PUT', '/orders/_doc/7?refresh=true', { tenant: 'acme', body: { v: 1 } });
    expect(put.body).toMatchObject({ _index: 'orders', _id: '7' });
    const stored = h.upstream.store().indexes.get('orders-acme')?.docs.get('7');
    expect(stored?.source).toEqual({ v: 1 });
    expect(stored?.routing).toBeUndefined();
    const op = h.upstream.ops.at(-1);
    expect(op?.query.routing).toBeUndefined();
    const search = await h.send('POST', '/orders/_search', {
      tenant: 'acme',
      body: { query: { match_all: {} } },
    });
    expect(search.body.hits.hits).toEqual([
      expect.objectContaining({ _index: 'orders', _id: '7', _source: { v: 1 } }),
    ]);
  });

  it('DedicatedCluster: the logical index on its own cluster, requests unchanged', async () => {
    const h = withPlacements([
      ['acme', { mode: 'DedicatedCluster', cluster: parseClusterId('big') }],
      [
        'globex',
        {
          mode: 'SharedIndex',
          cluster: parseClusterId('default'),
          indexTemplate: 'osproxy-shared',
          inject: { _tenant: '{partition}' },
        },
      ],
    ]);
    await h.send('PUT', '/orders/_doc/1?refresh=true', { tenant: 'acme', body: { v: 'a' } });
    await h.send('PUT', '/orders/_doc/1?refresh=true', { tenant: 'globex', body: { v: 'g' } });
    expect(h.upstream.store('big').indexes.get('orders')?.docs.get('1')?.source).toEqual({ v: 'a' });
    expect(h.upstream.store('default').indexes.get('osproxy-shared')?.docs.size).toBe(1);
    const bulk = await h.send('POST', '/_bulk', {
      ndjson: [
        { index: { _index: 'orders', _id: '2' } },
        { tenant_id: 'acme', v: 'a2' },
        { index: { _index: 'orders', _id: '2' } },
        { tenant_id: 'globex', v: 'g2' },
      ],
    });
    expect(bulk.body.errors).toBe(false);
    expect(
      h.upstream.ops
        .filter((op) => op.path === '/_bulk')
        .map((op) => op.target.cluster)
        .sort(),
    ).toEqual(['big', 'default']);
    const got = await h.send('GET', '/orders/_doc/2', { tenant: 'acme' });
    expect(got.body).toMatchObject({ _index: 'orders', _id: '2', _source: { tenant_id: 'acme', v: 'a2' } });
  });
});
