import { parseIndexName } from '@flusso/core';
import {
  type AckLog,
  intKey,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  usersIndex,
  usersTable,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';

function builderWith(...ids: number[]): MapDocumentBuilder {
  const b = new MapDocumentBuilder();
  for (const id of ids) b.rows.set(String(id), { id });
  return b;
}

describe('backfill', () => {
  it('rebuilds a seeded index into a fresh generation when the resume point was lost', async () => {
    const sink = new MemorySink({ seeded: true });
    const capture = new ScriptedCapture({ resumed: false, rows: [intKey(1)] });
    await new Engine({ capture, builder: builderWith(1), sinks: [sink] }).run();
    expect(sink.reindexed).toEqual(['users']);
    expect(sink.store.get('users/1')).toEqual({ id: 1 });
    expect(sink.seededMarks).toEqual(['users']);
  });

  it('seeds only the sinks that lack the index, building each page once', async () => {
    const seeded = new MemorySink({ name: 'primary', seeded: true });
    const fresh = new MemorySink({ name: 'audit', seeded: false });
    const b = builderWith(1, 2);
    await new Engine({
      capture: new ScriptedCapture({ rows: [intKey(1), intKey(2)] }),
      builder: b,
      sinks: [seeded, fresh],
    }).run();
    expect(seeded.log).toEqual([]);
    expect([...fresh.store.keys()].sort()).toEqual(['users/1', 'users/2']);
    expect(Object.fromEntries(b.builds)).toEqual({ 1: 1, 2: 1 });
  });

  it('reindexes on request while live, swapping only after the rebuild is durable', async () => {
    const sink = new MemorySink({ seeded: true });
    const capture = new ScriptedCapture({ rows: [intKey(5)], keepOpen: true });
    const stop = new AbortController();
    let live!: () => void;
    const started = new Promise<void>((r) => (live = r));
    const engine = new Engine({
      capture,
      builder: builderWith(5),
      sinks: [sink],
      observer: { onLiveStarted: () => live() },
    });
    const run = engine.run(stop.signal);
    await started;
    await engine.reindex(usersIndex);
    expect(sink.reindexed).toEqual(['users']);
    expect(sink.store.get('users/5')).toEqual({ id: 5 });
    expect(sink.seededMarks).toEqual(['users']);
    await expect(engine.reindex(parseIndexName('nope'))).rejects.toMatchObject({ code: 'config_invalid' });
    stop.abort();
    await run;
  });

  it('rebuilds an index after TRUNCATE of a table it reads, then acks', async () => {
    const sink = new MemorySink({ seeded: true, store: new Map([['users/9', { id: 9 }]]) });
    const log: AckLog = { acked: [] };
    const b = builderWith(1);
    const truncate = {
      event: { kind: 'truncate' as const, tables: [usersTable] },
      position: 1n as never,
      ack: () => log.acked.push(0),
    };
    await new Engine({
      capture: new ScriptedCapture({ changes: [truncate], rows: [intKey(1)] }),
      builder: b,
      sinks: [sink],
    }).run();
    expect(sink.reindexed).toEqual(['users']);
    expect(sink.store.get('users/1')).toEqual({ id: 1 });
    expect(log.acked).toEqual([0]);
  });
});
