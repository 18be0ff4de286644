import { type Placement, parseClusterId, parseEpoch, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { ReferenceTenancy } from '../tenancy/reference-tenancy.js';
import { EmulatorUpstream } from '../testing/emulator-upstream.fixture.js';
import { harness } from '../testing/proxy.fixture.js';
import { InMemoryPlacementTable } from './in-memory-placement-table.js';

const acme = parsePartitionId('acme');
const shared = (cluster: string): Placement => ({
  mode: 'SharedIndex',
  cluster: parseClusterId(cluster),
  indexTemplate: 'osproxy-{index}',
  inject: { _tenant: '{partition}' },
});

describe('placement migration', () => {
  it('moves Settled → Draining → Cutover → Settled(new) with a new epoch at each step and refuses bad steps', () => {
    const table = new InMemoryPlacementTable({ entries: new Map([[acme, shared('default')]]) });
    const epochs = [table.stateOf(acme).epoch];
    expect(() => table.cutover(acme)).toThrowError(expect.objectContaining({ code: 'invalid_value' }));
    epochs.push(table.beginMigration(acme, shared('eu-2')).epoch);
    expect(() => table.complete(acme)).toThrowError(expect.objectContaining({ code: 'invalid_value' }));
    epochs.push(table.cutover(acme).epoch);
    const done = table.complete(acme);
    epochs.push(done.epoch);
    expect(new Set(epochs).size).toBe(4);
    expect(done).toMatchObject({ phase: 'Settled', placement: { cluster: 'eu-2' } });
    expect(() => table.stateOf(parsePartitionId('nobody'))).toThrowError(
      expect.objectContaining({ code: 'placement_missing' }),
    );
  });

  it('admits exactly one epoch per phase and no write during Cutover', () => {
    const table = new InMemoryPlacementTable({ entries: new Map([[acme, shared('default')]]) });
    const settled = table.stateOf(acme).epoch;
    expect(() => table.admitWrite(acme, settled)).not.toThrow();
    const draining = table.beginMigration(acme, shared('eu-2')).epoch;
    expect(() => table.admitWrite(acme, settled)).toThrowError(
      expect.objectContaining({ code: 'stale_epoch', retryable: true }),
    );
    expect(() => table.admitWrite(acme, draining)).not.toThrow();
    const cutover = table.cutover(acme).epoch;
    for (const epoch of [settled, draining, cutover, parseEpoch(cutover + 1)]) {
      expect(() => table.admitWrite(acme, epoch)).toThrowError(
        expect.objectContaining({ code: 'stale_epoch' }),
      );
    }
  });

  it('through the pipeline: writes during Cutover are 409 retryable with no upstream call; reads use one placement', async () => {
    const placements = new InMemoryPlacementTable({ entries: new Map([[acme, shared('default')]]) });
    const upstream = new EmulatorUpstream(['default', 'eu-2']);
    const h = harness({ upstream, tenancy: new ReferenceTenancy({ placements, index: 'osproxy-{index}' }) });
    await h.send('PUT', '/orders/_doc/1?refresh=true', { tenant: 'acme', body: { v: 'old' } });
    placements.beginMigration(acme, shared('eu-2'));
    expect(
      (await h.send('PUT', '/orders/_doc/2?refresh=true', { tenant: 'acme', body: { v: 'draining' } }))
        .status,
    ).toBe(201);
    placements.cutover(acme);
    const before = upstream.ops.length;
    const refused = await h.send('PUT', '/orders/_doc/3', { tenant: 'acme', body: { v: 'cutover' } });
    expect(refused).toMatchObject({ status: 409, body: { error: 'stale_epoch', retryable: true } });
    const bulk = await h.send('POST', '/_bulk', {
      tenant: 'acme',
      ndjson: [{ index: { _index: 'orders', _id: '4' } }, { v: 'x' }],
    });
    expect(bulk.body.items[0].index).toMatchObject({ status: 409, error: { type: 'stale_epoch' } });
    expect(upstream.ops.length).toBe(before);
    const read = await h.send('POST', '/orders/_search', { tenant: 'acme', body: {} });
    expect(read.body.hits.total.value).toBe(2);
    expect(upstream.ops.at(-1)?.target.cluster).toBe('default');
    // The operator copies the data, then completes: reads and writes move together.
    upstream.store('eu-2').createIndex('osproxy-orders', {});
    placements.complete(acme);
    expect(
      (await h.send('PUT', '/orders/_doc/5?refresh=true', { tenant: 'acme', body: { v: 'new' } })).status,
    ).toBe(201);
    expect(upstream.ops.at(-1)?.target.cluster).toBe('eu-2');
    const after = await h.send('POST', '/orders/_search', { tenant: 'acme', body: {} });
    expect(after.body.hits.hits.map((x: { _id: string }) => x._id)).toEqual(['5']);
  });

  it('a scroll opened before a move continues on the cluster that made it, and is cleared there', async () => {
    const placements = new InMemoryPlacementTable({ entries: new Map([[acme, shared('default')]]) });
    const upstream = new EmulatorUpstream(['default', 'eu-2']);
    const h = harness({ upstream, tenancy: new ReferenceTenancy({ placements, index: 'osproxy-{index}' }) });
    for (const id of ['1', '2', '3'])
      await h.send('PUT', `/orders/_doc/${id}?refresh=true`, { tenant: 'acme', body: { v: id } });
    const first = await h.send('POST', '/orders/_search?scroll=1m', { tenant: 'acme', body: { size: 1 } });
    placements.beginMigration(acme, shared('eu-2'));
    placements.cutover(acme);
    upstream.store('eu-2').createIndex('osproxy-orders', {});
    placements.complete(acme);
    const next = await h.send('POST', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll_id: first.body._scroll_id, scroll: '1m' },
    });
    expect(next.status).toBe(200);
    expect(next.body.hits.hits).toHaveLength(1);
    expect(upstream.ops.at(-1)?.target.cluster).toBe('default');
    const cleared = await h.send('DELETE', '/_search/scroll', {
      tenant: 'acme',
      body: { scroll_id: next.body._scroll_id },
    });
    expect(cleared.body).toEqual({ succeeded: true, num_freed: 1 });
    expect(upstream.ops.at(-1)?.target.cluster).toBe('default');
  });
});
