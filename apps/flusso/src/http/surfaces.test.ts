import { parseIndexName } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { Status, statusObserver } from '@flusso/daemon';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../telemetry/metrics.js';
import { privateSurface } from './private-surface.js';
import { publicSurface } from './public-surface.js';

const users = parseIndexName('users');
const auth = { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };

function setup() {
  const status = new Status([users], new ManualClock(0));
  const metrics = createMetrics();
  const reindexed: string[] = [];
  let running = true;
  const pub = publicSurface(() => status, metrics.registry);
  const priv = privateSurface(
    {
      status: () => status,
      reindex: (i) => {
        if (!running) return null;
        reindexed.push(i);
        return Promise.resolve();
      },
    },
    { user: 'admin', password: 'secret' },
  );
  return { status, metrics, pub, priv, reindexed, stop: () => (running = false) };
}

describe('public surface', () => {
  it('answers healthz always and readyz only while backfilling or live', async () => {
    const { pub, status } = setup();
    expect((await pub.request('/healthz')).status).toBe(200);
    expect((await pub.request('/readyz')).status).toBe(503);
    statusObserver(status).onLiveStarted?.();
    expect((await pub.request('/readyz')).status).toBe(200);
  });

  it('serves the status JSON and Prometheus metrics with the contract names', async () => {
    const { pub, metrics, status } = setup();
    const o = statusObserver(status);
    o.onChangeCaptured?.();
    metrics.observer.onChangeCaptured?.();
    metrics.observer.onBatchCommitted?.({ changes: 1, documents: 1 });
    metrics.observer.onDocumentsBuilt?.(users, 1);
    const body = await (await pub.request('/status')).json();
    expect(body).toMatchObject({ phase: 'starting', changes_captured: 1, indexes: { users: 'pending' } });
    const text = await (await pub.request('/metrics')).text();
    expect(text).toContain('flusso_changes_captured_total 1');
    expect(text).toContain('flusso_changes_committed_total 1');
    expect(text).toContain('flusso_documents_built_total{index="users"} 1');
    for (const name of [
      'flusso_batches_total',
      'flusso_errors_total',
      'flusso_flush_duration_seconds',
      'flusso_replication_slot_lag_bytes',
      'flusso_changes_in_flight',
      'flusso_documents_quarantined_total',
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe('public surface in Kafka mode', () => {
  it('adds the role details beside the status snapshot', async () => {
    const status = new Status([users], new ManualClock(0));
    const pub = publicSurface(
      () => status,
      createMetrics().registry,
      undefined,
      () => ({
        mode: 'kafka',
        role: 'worker',
        worker: { partitions: { '0': { committed_offset: '7' } } },
      }),
    );
    statusObserver(status).onDocumentsBuilt?.(users, 3);
    expect(await (await pub.request('/status')).json()).toMatchObject({
      phase: 'starting',
      documents_built: 3,
      mode: 'kafka',
      role: 'worker',
      worker: { partitions: { '0': { committed_offset: '7' } } },
    });
  });
});

describe('private surface', () => {
  it('refuses requests without valid Basic credentials', async () => {
    const { priv } = setup();
    expect((await priv.request('/indexes')).status).toBe(401);
    const wrong = { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` };
    expect((await priv.request('/indexes', { headers: wrong })).status).toBe(401);
  });

  it('lists index states and accepts a reindex of a known index', async () => {
    const { priv, reindexed } = setup();
    expect(await (await priv.request('/indexes', { headers: auth })).json()).toEqual({ users: 'pending' });
    expect((await priv.request('/reindex?index=users', { method: 'POST', headers: auth })).status).toBe(202);
    expect(reindexed).toEqual(['users']);
  });

  it('answers 400 for a bad name, 404 for an unknown index, 503 when not running', async () => {
    const { priv, stop } = setup();
    expect((await priv.request('/reindex?index=Bad*Name', { method: 'POST', headers: auth })).status).toBe(
      400,
    );
    expect((await priv.request('/reindex?index=orders', { method: 'POST', headers: auth })).status).toBe(404);
    stop();
    expect((await priv.request('/reindex?index=users', { method: 'POST', headers: auth })).status).toBe(503);
  });
});
