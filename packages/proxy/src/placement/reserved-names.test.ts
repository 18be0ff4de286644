// An unfiltered placement (DedicatedIndex, DedicatedCluster) must never read or
// write an index another placement or the deployment holds. The class: every kind
// of reserved name, refused before anything is dispatched; and a table that makes
// such a collision certain refuses to be built.
import {
  FlussoError,
  type PartitionId,
  type Placement,
  parseClusterId,
  parsePartitionId,
} from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from '../testing/emulator-upstream.fixture.js';
import { harness } from '../testing/proxy.fixture.js';
import { InMemoryPlacementTable } from './in-memory-placement-table.js';
import type { ExtraReservation } from './reserved-names.js';

const cluster = parseClusterId('default');
const other = parseClusterId('eu-2');
const p = (id: string) => parsePartitionId(id);
const dedicated = (indexTemplate: string, on = cluster): Placement => ({
  mode: 'DedicatedIndex',
  cluster: on,
  indexTemplate,
});
const shared = (indexTemplate: string): Placement => ({
  mode: 'SharedIndex',
  cluster,
  indexTemplate,
  inject: { _tenant: '{partition}' },
});
const as = (tenant: string) => ({ principal: { id: `app-${tenant}`, tenant: p(tenant) as PartitionId } });

function setup(options: { index?: string; entries: [string, Placement][]; reserved?: ExtraReservation[] }) {
  const tenancy = new ReferenceTenancy({
    ...(options.index === undefined ? {} : { index: options.index }),
    entries: new Map(options.entries.map(([id, placement]) => [p(id), placement])),
    ...(options.reserved === undefined ? {} : { reserved: options.reserved }),
  });
  return harness({ tenancy });
}

/** Write, read and search `logical` as `tenant`: each must be 404 with nothing sent upstream. */
async function refusedWithoutDispatch(h: ReturnType<typeof harness>, tenant: string, logical: string) {
  const replies = [
    await h.send('PUT', `/${logical}/_doc/1`, { ...as(tenant), body: { v: 1 } }),
    await h.send('GET', `/${logical}/_doc/1`, as(tenant)),
    await h.send('POST', `/${logical}/_search`, { ...as(tenant), body: {} }),
    await h.send('POST', `/${logical}/_delete_by_query`, {
      ...as(tenant),
      body: { query: { match_all: {} } },
    }),
  ];
  for (const r of replies) {
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'placement_missing', retryable: false });
    // The reason names the kind of index, never the tenant, index or name.
    expect(String(r.headers['x-osproxy-reason'])).toMatch(/^placement yields a reserved index \([a-z_]+\)$/);
  }
  expect(h.upstream.ops).toEqual([]);
}

describe('reserved index names: an unfiltered view never reaches another placement', () => {
  it('the shared index: partition `shared` under {index}-{partition} asking for `osproxy`', async () => {
    const h = setup({ entries: [['shared', dedicated('{index}-{partition}')]] });
    await refusedWithoutDispatch(h, 'shared', 'osproxy');
    // Its other logical indexes are its own.
    const put = await h.send('PUT', '/orders/_doc/1', { ...as('shared'), body: { v: 1 } });
    expect(put.status).toBe(201);
    expect(h.upstream.store().indexes.get('orders-shared')?.docs.get('1')).toBeDefined();
  });

  it('every rendering of a templated shared index (`os-{index}`)', async () => {
    const h = setup({ index: 'os-{index}', entries: [['data', dedicated('{index}.{partition}')]] });
    // `os-x.data` is the shared index of logical `x.data`.
    await refusedWithoutDispatch(h, 'data', 'os-x');
    expect((await h.send('PUT', '/orders/_doc/1', { ...as('data'), body: {} })).status).toBe(201);
  });

  it("another partition's template-less dedicated index (`acme-{index}`)", async () => {
    const h = setup({
      entries: [
        ['acme', dedicated('acme-{index}')],
        ['globex', dedicated('{index}-{partition}')],
      ],
    });
    // globex's `acme-orders`... renders `acme-orders-globex`; a partition `orders` with logical `acme`:
    const h2 = setup({
      entries: [
        ['acme', dedicated('acme-{index}')],
        ['orders', dedicated('{index}-{partition}')],
      ],
    });
    await refusedWithoutDispatch(h2, 'orders', 'acme');
    // acme's own name is acme's.
    expect((await h.send('PUT', '/orders/_doc/1', { ...as('acme'), body: {} })).status).toBe(201);
    expect(h.upstream.store().indexes.has('acme-orders')).toBe(true);
  });

  it("another partition's dedicated index under a different template (fallback renders it)", async () => {
    const tenancy = new ReferenceTenancy({
      placements: new InMemoryPlacementTable({
        fallback: dedicated('{index}-{partition}'),
        entries: new Map([[p('acme'), dedicated('acme{index}')]]),
      }),
    });
    const h = harness({ tenancy });
    // acme asking for `-x` is not a valid index; acme asking for `x-globex` renders `acmex-globex`,
    // which the fallback gives partition `globex` for logical `acmex`.
    await refusedWithoutDispatch(h, 'acme', 'x-globex');
    // ...and the fallback partition `globex` asking for `acmex` is refused likewise.
    const g = harness({ tenancy });
    await refusedWithoutDispatch(g, 'globex', 'acmex');
  });

  it('a passthrough prefix and a passthrough name', async () => {
    const h = setup({
      entries: [['x', dedicated('{index}.{partition}')]],
      reserved: [{ kind: 'passthrough', cluster, name: 'old-', prefix: true }],
    });
    await refusedWithoutDispatch(h, 'x', 'old-app');
    const exact = setup({
      entries: [['logs', dedicated('{index}-{partition}')]],
      reserved: [{ kind: 'passthrough', cluster, name: 'app-logs' }],
    });
    await refusedWithoutDispatch(exact, 'logs', 'app');
    expect((await exact.send('PUT', '/web/_doc/1', { ...as('logs'), body: {} })).status).toBe(201);
  });

  it('the flusso metadata index', async () => {
    const h = setup({
      entries: [['meta', dedicated('{index}_{partition}')]],
      reserved: [{ kind: 'meta_index', cluster, name: 'flusso_meta' }],
    });
    await refusedWithoutDispatch(h, 'meta', 'flusso');
  });

  it('a hidden or system index (`.` prefix), whatever the table says', async () => {
    const h = setup({ entries: [['sec', dedicated('{index}-{partition}')]] });
    // A logical index may start with `.`: `.opendistro_security-sec` is still hidden, and refused.
    await refusedWithoutDispatch(h, 'sec', '.opendistro_security');
  });

  it('a DedicatedCluster logical name that another placement holds on that cluster', () => {
    // The table refuses such a DedicatedCluster at start; the view check holds regardless.
    const names = new InMemoryPlacementTable({ fallback: shared('osproxy-shared') }).reservedNames;
    const big: Placement = { mode: 'DedicatedCluster', cluster };
    expect(() => names.check(big, 'osproxy-shared', p('big'))).toThrow(/reserved index \(shared_index\)/);
    expect(() =>
      names.check({ mode: 'DedicatedCluster', cluster: other }, 'osproxy-shared', p('big')),
    ).not.toThrow();
  });

  it('other clusters hold other names: the same name elsewhere is free', async () => {
    const tenancy = new ReferenceTenancy({
      entries: new Map([[p('shared'), dedicated('{index}-{partition}', other)]]),
    });
    const h = harness({ tenancy, upstream: new EmulatorUpstream(['default', 'eu-2']) });
    const put = await h.send('PUT', '/osproxy/_doc/1', { ...as('shared'), body: {} });
    expect(put.status).toBe(201);
    expect(h.upstream.store('eu-2').indexes.has('osproxy-shared')).toBe(true);
  });

  it('a placement assigned later is checked against the names as they are then', async () => {
    const tenancy = new ReferenceTenancy({
      entries: new Map([[p('orders'), dedicated('{index}-{partition}')]]),
    });
    const h = harness({ tenancy });
    expect((await h.send('PUT', '/acme/_doc/1', { ...as('orders'), body: {} })).status).toBe(201);
    tenancy.placements.assign(p('acme'), dedicated('acme-{index}'));
    h.upstream.ops.length = 0;
    await refusedWithoutDispatch(h, 'orders', 'acme');
  });
});

describe('a placement table that makes a collision certain refuses to be built', () => {
  const table = (
    entries: [string, Placement][],
    options: { fallback?: Placement; reserved?: ExtraReservation[] } = {},
  ) =>
    new InMemoryPlacementTable({
      fallback: options.fallback ?? shared('osproxy-shared'),
      entries: new Map(entries.map(([id, placement]) => [p(id), placement])),
      ...(options.reserved === undefined ? {} : { reserved: options.reserved }),
    });
  const refused = (build: () => unknown, ...names: RegExp[]) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlussoError);
    expect((error as FlussoError).code).toBe('config_invalid');
    for (const name of names) expect((error as Error).message).toMatch(name);
  };

  it('a fixed dedicated name that is the shared index', () => {
    refused(
      () => table([['acme', dedicated('osproxy-shared')]]),
      /partition acme/,
      /shared index of the fallback/,
    );
  });
  it('a dedicated template that is always a templated shared index', () => {
    refused(
      () => table([['acme', dedicated('os-acme-{index}')]], { fallback: shared('os-{index}') }),
      /partition acme/,
      /shared index/,
    );
    refused(
      () => table([['acme', dedicated('{index}-{partition}')]], { fallback: shared('{index}') }),
      /shared index/,
    );
  });
  it('two partitions with one template-less dedicated name', () => {
    refused(
      () =>
        table([
          ['acme', dedicated('team-{index}')],
          ['globex', dedicated('team-{index}')],
        ]),
      /partition acme/,
      /partition globex/,
    );
  });
  it('a fallback DedicatedIndex without {partition}', () => {
    refused(() => table([], { fallback: dedicated('all-{index}') }), /the fallback/, /no \{partition\}/);
  });
  it('a dedicated name under a passthrough prefix, the metadata index, a hidden name', () => {
    refused(
      () =>
        table([['acme', dedicated('legacy-{partition}-{index}')]], {
          reserved: [{ kind: 'passthrough', cluster, name: 'legacy-', prefix: true }],
        }),
      /passthrough/,
    );
    refused(
      () =>
        table([['acme', dedicated('flusso_meta')]], {
          reserved: [{ kind: 'meta_index', cluster, name: 'flusso_meta' }],
        }),
      /metadata index/,
    );
    refused(() => table([['acme', dedicated('.{index}-{partition}')]]), /hidden/);
  });
  it('a DedicatedCluster on a cluster that holds another placement', () => {
    refused(
      () => table([['acme', { mode: 'DedicatedCluster', cluster }]]),
      /DedicatedCluster of partition acme/,
    );
    refused(
      () =>
        table([
          ['acme', { mode: 'DedicatedCluster', cluster: other }],
          ['globex', { mode: 'DedicatedCluster', cluster: other }],
        ]),
      /partition globex/,
    );
  });
  it('an assignment that would make one is refused and changes nothing', () => {
    const t = table([['acme', dedicated('acme-{index}')]]);
    expect(() => t.assign(p('globex'), dedicated('acme-{index}'))).toThrow(/placement refused/);
    expect(t.stateOf(p('globex')).placement.mode).toBe('SharedIndex');
  });
  it('keeps tables where a collision is only possible (checked per request) or impossible', () => {
    expect(() =>
      table([
        ['acme', dedicated('{index}-{partition}')],
        ['globex', dedicated('globex-{index}')],
        ['big', { mode: 'DedicatedCluster', cluster: other }],
      ]),
    ).not.toThrow();
    // A partition moving between its own placements keeps its names.
    const t = table([['acme', dedicated('acme-{index}')]]);
    expect(() => t.beginMigration(p('acme'), dedicated('acme-{index}'))).not.toThrow();
  });
});
