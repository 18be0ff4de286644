import { parseClusterId } from '@flusso/core';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { UndiciUpstream } from '@flusso/sinks/upstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTenancyIndex } from './ensure-index.js';

const cluster = parseClusterId('default');
let emu: Emulator;
let upstream: UndiciUpstream;

beforeEach(async () => {
  emu = await startEmulator();
  upstream = new UndiciUpstream({
    clusters: new Map([[cluster, { url: emu.url, protocol: 'http1' }]]),
    timeoutMs: 2_000,
  });
});
afterEach(async () => {
  await upstream.close();
  await emu.close();
});

describe('checkTenancyIndex', () => {
  it('creates the shared index with keyword tenancy fields, and finds it ready next time', async () => {
    expect(await checkTenancyIndex(upstream, cluster, 'osproxy-shared')).toEqual({ state: 'ready' });
    expect(emu.store.indexes.get('osproxy-shared')?.mappings.properties).toMatchObject({
      _tenant: { type: 'keyword' },
      _index_name: { type: 'keyword' },
    });
    expect(await checkTenancyIndex(upstream, cluster, 'osproxy-shared')).toEqual({ state: 'ready' });
    // Deleted behind the proxy's back, then re-created by a write: still keyword.
    emu.store.deleteIndex('osproxy-shared');
    emu.store.writeTarget('osproxy-shared');
    expect(emu.store.indexes.get('osproxy-shared')?.mappings.properties._tenant).toEqual({ type: 'keyword' });
  });

  it('maps every index of an {index} template through an index template', async () => {
    expect(await checkTenancyIndex(upstream, cluster, 'osproxy-{index}')).toEqual({ state: 'ready' });
    emu.store.writeTarget('osproxy-orders');
    expect(emu.store.indexes.get('osproxy-orders')?.mappings.properties._tenant).toEqual({ type: 'keyword' });
  });

  it('reports a text-mapped tenant field as misconfigured and an unreachable cluster as such', async () => {
    emu.store.createIndex('loose', { mappings: { properties: { _tenant: { type: 'text' } } } });
    expect(await checkTenancyIndex(upstream, cluster, 'loose')).toEqual({
      state: 'misconfigured',
      reason: 'the index maps _tenant as text, not keyword',
    });
    emu.faults.refuseConnections = true;
    expect(await checkTenancyIndex(upstream, cluster, 'osproxy-shared')).toMatchObject({
      state: 'unreachable',
    });
  });
});
