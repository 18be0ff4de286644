// Seed 004 (the reference daemon's tests), ported in meaning.
import {
  type AckLog,
  ManualClock,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import type { Backends } from './backends.js';
import { Daemon } from './daemon.js';
import { pollLag } from './lag/lag-poller.js';
import { usersLock } from './users-lock.fixture.js';

const lock = usersLock();

function backendsOver(capture: ScriptedCapture, builder: MapDocumentBuilder, sink: MemorySink) {
  const built = { capture: 0, builder: 0, sink: 0 };
  const backends: Backends = {
    capture: async () => {
      built.capture += 1;
      return capture;
    },
    builder: async () => {
      built.builder += 1;
      return builder;
    },
    sink: async () => {
      built.sink += 1;
      return sink;
    },
  };
  return { backends, built };
}

describe('Daemon', () => {
  it('builds its backends through the seam and stops cleanly on an empty stream', async () => {
    const { backends, built } = backendsOver(
      new ScriptedCapture(),
      new MapDocumentBuilder(),
      new MemorySink({ name: 'primary' }),
    );
    const running = await new Daemon(lock, backends, { skipBackfill: true }).start();
    expect(built).toEqual({ capture: 1, builder: 1, sink: 1 });
    await running.run();
    expect(running.status.snapshot()).toMatchObject({ phase: 'stopped', changes_committed: 0 });
  });

  it('drives changes through injected backends and counts them in the status', async () => {
    const log: AckLog = { acked: [] };
    const builder = new MapDocumentBuilder();
    builder.rows.set('1', { id: 1 });
    const sink = new MemorySink({ name: 'primary' });
    const capture = new ScriptedCapture({
      changes: [userChange(1, 0, log), userChange(2, 1, log, 'delete')],
    });
    const running = await new Daemon(lock, backendsOver(capture, builder, sink).backends, {
      skipBackfill: true,
    }).start();
    await running.run();
    expect(sink.log.filter((l) => l !== 'flush')).toEqual(['upsert users 1', 'delete users 2']);
    expect(log.acked.sort()).toEqual([0, 1]);
    expect(running.status.snapshot()).toMatchObject({
      changes_captured: 2,
      changes_committed: 2,
      changes_in_flight: 0,
      phase: 'stopped',
    });
  });

  it('polls the slot lag and reports each sampled value', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const seen: number[] = [];
    let lag = 8192n;
    const poller = pollLag({ lagBytes: async () => lag }, (b) => seen.push(b), {
      clock,
      intervalMs: 15_000,
      signal: stop.signal,
    });
    await expect.poll(() => seen).toEqual([8192]);
    lag = 100n;
    clock.advance(15_000);
    await expect.poll(() => seen).toEqual([8192, 100]);
    stop.abort();
    await poller;
  });
});
