import { parseIndexName } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Status } from './status.js';
import { statusObserver } from './status-observer.js';

const users = parseIndexName('users');

describe('Status', () => {
  it('counts no change in flight after a restart redelivered what the failed attempt held', () => {
    const status = new Status([users], new ManualClock(0));
    const o = statusObserver(status);
    o.onIndexesEnsured?.(1);
    for (let i = 0; i < 5; i++) o.onChangeCaptured?.();
    expect(status.snapshot().changes_in_flight).toBe(5);
    // The attempt fails with 5 unconfirmed; the next one is redelivered them and confirms them.
    o.onIndexesEnsured?.(1);
    for (let i = 0; i < 5; i++) o.onChangeCaptured?.();
    o.onBatchCommitted?.({ changes: 5 } as Parameters<NonNullable<typeof o.onBatchCommitted>>[0]);
    expect(status.snapshot()).toMatchObject({
      changes_captured: 10,
      changes_committed: 5,
      changes_in_flight: 0,
    });
  });

  it('is driven by the observer through its lifecycle into the /status JSON shape', () => {
    const clock = new ManualClock(0);
    const status = new Status([users], clock);
    const o = statusObserver(status);
    expect(status.snapshot()).toMatchObject({
      phase: 'starting',
      indexes: { users: 'pending' },
      slot_lag_bytes: null,
    });
    o.onBackfillStarted?.(users, ['primary'], 1000);
    expect(status.snapshot()).toMatchObject({ phase: 'backfilling', indexes: { users: 'backfilling' } });
    clock.advance(2000);
    o.onBackfillProgress?.(users, 400, 1000);
    expect(status.snapshot().backfill.users).toEqual({
      rows_done: 400,
      rows_total: 1000,
      rows_per_second: 200,
      eta_seconds: 3,
    });
    o.onBackfillFinished?.(users, 1000);
    o.onLiveStarted?.();
    for (let i = 0; i < 3; i++) o.onChangeCaptured?.();
    clock.advance(40);
    o.onDocumentsBuilt?.(users, 2);
    o.onFlushed?.({ sink: 'primary', documents: 2, micros: 5000 });
    o.onBatchCommitted?.({ changes: 3, documents: 2 });
    o.onSlotLag?.(4096);
    clock.advance(3000);
    const snap = JSON.parse(JSON.stringify(status.snapshot()));
    expect(snap).toEqual({
      phase: 'live',
      uptime_seconds: 5,
      indexes: { users: 'seeded' },
      changes_captured: 3,
      changes_committed: 3,
      changes_in_flight: 0,
      documents_built: 2,
      documents_quarantined: 0,
      batches: 1,
      last_flush_micros: 5000,
      slot_lag_bytes: 4096,
      end_to_end_lag_ms: 40,
      errors: 0,
      last_error: null,
      sinks: { primary: 'ok' },
      backfill: {},
      dead_letters: null,
      dropped_batches: {},
    });
    expect(status.ready).toBe(true);
  });

  it('reports an index live without a backfill as seeded, and an error as stopped', () => {
    const status = new Status([users], new ManualClock());
    const o = statusObserver(status);
    o.onLiveStarted?.();
    expect(status.snapshot().indexes.users).toBe('seeded');
    o.onError?.('sink_failed', 'boom');
    expect(status.snapshot()).toMatchObject({ phase: 'stopped', errors: 1, last_error: 'boom' });
    expect(status.ready).toBe(false);
  });

  it('is not ready while a sink is retrying, and ready again once it recovers', () => {
    const status = new Status([users], new ManualClock());
    const o = statusObserver(status);
    o.onLiveStarted?.();
    o.onFlushRetry?.('primary', 1, 'sink_transient');
    expect(status.ready).toBe(false);
    expect(status.snapshot().sinks).toEqual({ primary: 'retrying' });
    o.onSinkRecovered?.('primary');
    expect(status.ready).toBe(true);
  });

  it('reports no total or ETA while the row estimate is below the rows already done', () => {
    const status = new Status([users], new ManualClock());
    const o = statusObserver(status);
    o.onBackfillStarted?.(users, ['primary'], 0);
    o.onBackfillProgress?.(users, 500, 0);
    expect(status.snapshot().backfill.users).toMatchObject({
      rows_done: 500,
      rows_total: null,
      eta_seconds: null,
    });
  });

  it('issue-17: returns to live once a reindex after going live finishes', () => {
    const status = new Status([users], new ManualClock());
    const o = statusObserver(status);
    o.onIndexesEnsured?.(1);
    o.onLiveStarted?.();
    o.onBackfillStarted?.(users, ['primary'], 10);
    expect(status.snapshot()).toMatchObject({ phase: 'backfilling', indexes: { users: 'backfilling' } });
    o.onBackfillFinished?.(users, 10);
    expect(status.snapshot()).toMatchObject({ phase: 'live', indexes: { users: 'seeded' }, backfill: {} });
  });

  it('issue-17: a restart mid-reindex starts over and goes live with every index seeded', () => {
    const status = new Status([users], new ManualClock());
    const first = statusObserver(status);
    first.onLiveStarted?.();
    first.onBackfillStarted?.(users, ['primary'], 10);
    first.onError?.('source_failed', 'connection lost');
    const second = statusObserver(status);
    second.onIndexesEnsured?.(1);
    expect(status.phase).toBe('starting');
    second.onLiveStarted?.();
    expect(status.snapshot()).toMatchObject({ phase: 'live', indexes: { users: 'seeded' }, backfill: {} });
  });
});
