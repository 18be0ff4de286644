// Seed 003's delivery behaviours that apply to flusso: bounded retry of transient
// failures with capped backoff, no retry of permanent ones, ack after every sink.
import { backoffDelay, type DocumentId, documentIdFromTexts } from '@flusso/core';
import {
  type AckLog,
  ManualClock,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import { engineBackoff } from './engine-options.js';

const tiny = { initialMs: 1, maxMs: 4, factor: 2, maxRetries: 3 };

function builder(): MapDocumentBuilder {
  const b = new MapDocumentBuilder();
  b.rows.set('1', { id: 1 });
  b.rows.set('2', { id: 2 });
  return b;
}

describe('delivery', () => {
  it('retries a transient flush failure, then delivers and acks', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink({ failNext: { count: 2, code: 'sink_transient' } });
    const retries: number[] = [];
    await new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      backoff: tiny,
      observer: { onFlushRetry: (_s, attempt) => retries.push(attempt) },
      skipBackfill: true,
    }).run();
    expect(retries).toEqual([1, 2]);
    expect(sink.store.get('users/1')).toEqual({ id: 1 });
    expect(log.acked).toEqual([0]);
  });

  it('reuses the same document identity on every retry', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink({ failNext: { count: 1, code: 'sink_transient' } });
    await new Engine({
      capture: new ScriptedCapture({ changes: [userChange(2, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      backoff: tiny,
      skipBackfill: true,
    }).run();
    expect(sink.log.filter((l) => l.startsWith('upsert'))).toEqual(['upsert users 2', 'upsert users 2']);
    expect([...sink.store.keys()]).toEqual(['users/2']);
  });

  it('does not retry a permanent failure and confirms nothing', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink({ failNext: { count: 1, code: 'sink_failed' } });
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      backoff: tiny,
      skipBackfill: true,
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'sink_failed' });
    expect(sink.flushAttempts).toBe(1);
    expect(log.acked).toEqual([]);
  });

  it('stops with nothing confirmed once transient retries are exhausted', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink({ failNext: { count: 100, code: 'sink_transient' } });
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      backoff: tiny,
      skipBackfill: true,
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'sink_transient' });
    expect(sink.flushAttempts).toBe(tiny.maxRetries + 1);
    expect(log.acked).toEqual([]);
  });

  it('waits for every sink before acking', async () => {
    const log: AckLog = { acked: [] };
    const fast = new MemorySink({ name: 'fast' });
    const slow = new MemorySink({ name: 'slow' });
    const holding = slow.hold();
    const capture = new ScriptedCapture({ changes: [userChange(1, 0, log)], keepOpen: true });
    const stop = new AbortController();
    const run = new Engine({ capture, builder: builder(), sinks: [fast, slow], skipBackfill: true }).run(
      stop.signal,
    );
    await holding;
    await expect.poll(() => fast.store.size).toBe(1);
    expect(log.acked).toEqual([]);
    slow.release();
    await expect.poll(() => log.acked).toEqual([0]);
    stop.abort();
    await run;
  });

  it('backs off exponentially up to a cap', async () => {
    expect(
      [0, 1, 2, 3, 10].map((n) => backoffDelay({ initialMs: 100, maxMs: 1000, factor: 2, maxRetries: 9 }, n)),
    ).toEqual([100, 200, 400, 800, 1000]);
    const clock = new ManualClock(0);
    const log: AckLog = { acked: [] };
    const sink = new MemorySink({ failNext: { count: 1, code: 'sink_transient' } });
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      clock,
      batch: { maxChanges: 1, maxDelayMs: 0 },
      skipBackfill: true,
    }).run();
    await expect.poll(() => clock.pendingSleepers).toBe(1);
    clock.advance(engineBackoff.initialMs - 1);
    await Promise.resolve();
    expect(log.acked).toEqual([]);
    clock.advance(1);
    await run;
    expect(log.acked).toEqual([0]);
  });
});

describe('lanes', () => {
  it('build once for two sinks', async () => {
    const log: AckLog = { acked: [] };
    const b = builder();
    const a = new MemorySink({ name: 'primary' });
    const c = new MemorySink({ name: 'audit' });
    await new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(2, 1, log)] }),
      builder: b,
      sinks: [a, c],
      skipBackfill: true,
    }).run();
    expect(Object.fromEntries(b.builds)).toEqual({ 1: 1, 2: 1 });
    expect([...a.store.keys()].sort()).toEqual(['users/1', 'users/2']);
    expect([...c.store.keys()].sort()).toEqual(['users/1', 'users/2']);
  });

  it('hold the watermark at a stuck sink and back-pressure without loss or reordering', async () => {
    const log: AckLog = { acked: [] };
    const b = new MapDocumentBuilder();
    const fast = new MemorySink({ name: 'fast' });
    const stuck = new MemorySink({ name: 'stuck' });
    const holding = stuck.hold();
    const capture = new ScriptedCapture({ keepOpen: true });
    const stop = new AbortController();
    const captured: number[] = [];
    const run = new Engine({
      capture,
      builder: b,
      sinks: [fast, stuck],
      batch: { maxChanges: 1, maxDelayMs: 0 },
      laneCapacity: 2,
      queueCapacity: 4,
      observer: { onChangeCaptured: () => captured.push(captured.length) },
      skipBackfill: true,
    }).run(stop.signal);
    for (let i = 0; i < 40; i++) {
      b.rows.set(String(i), { v: i });
      capture.emit(userChange(i, i, log));
    }
    await holding;
    // Bounded: the lanes and the ingest queue hold a few batches, not all 40.
    await expect.poll(() => captured.length).toBeGreaterThan(3);
    expect(captured.length).toBeLessThan(15);
    expect(log.acked).toEqual([]);
    stuck.release();
    await expect.poll(() => log.acked.length, { timeout: 5000 }).toBe(40);
    expect(log.acked).toEqual([...Array(40).keys()]);
    const order = (s: MemorySink) =>
      s.log.filter((l) => l.startsWith('upsert')).map((l) => Number(l.split(' ')[2]));
    expect(order(stuck)).toEqual([...Array(40).keys()]);
    expect(order(fast)).toEqual([...Array(40).keys()]);
    stop.abort();
    await run;
  });

  it('stop the run with the watermark unmoved when one sink rejects under stop', async () => {
    const log: AckLog = { acked: [] };
    const good = new MemorySink({ name: 'good' });
    const picky = new MemorySink({
      name: 'picky',
      rejectIds: new Set<DocumentId>([documentIdFromTexts(['2'])]),
    });
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(2, 1, log)] }),
      builder: builder(),
      sinks: [good, picky],
      skipBackfill: true,
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'sink_rejected' });
    expect(log.acked).toEqual([]);
  });
});
