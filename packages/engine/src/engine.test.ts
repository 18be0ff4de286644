// Seed 001 (the reference engine's tests), ported in meaning.
import { documentIdFromTexts, type FailurePolicies, FlussoError } from '@flusso/core';
import {
  type AckLog,
  intKey,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { Observer } from './observer/observer.js';

const wide = { maxChanges: 256, maxDelayMs: 10_000 };

function builderWith(...ids: number[]): MapDocumentBuilder {
  const builder = new MapDocumentBuilder();
  for (const id of ids) builder.rows.set(String(id), { id, name: `user ${id}` });
  return builder;
}

describe('Engine', () => {
  it('drives changes to the sink and acks each', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const capture = new ScriptedCapture({
      changes: [userChange(1, 0, log), userChange(2, 1, log, 'delete')],
    });
    await new Engine({ capture, builder: builderWith(1), sinks: [sink], skipBackfill: true }).run();
    expect(sink.log.filter((l) => l !== 'flush')).toEqual(['upsert users 1', 'delete users 2']);
    expect([...sink.store.keys()]).toEqual(['users/1']);
    expect(log.acked.sort()).toEqual([0, 1]);
  });

  it('stops with the stream failure when the capture fails mid-run, having acked only what was delivered', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const lost = new FlussoError('source_failed', 'replication stream failed');
    const capture = new ScriptedCapture({ changes: [userChange(1, 0, log)], failWith: lost });
    const run = new Engine({ capture, builder: builderWith(1), sinks: [sink], skipBackfill: true }).run();
    await expect(run).rejects.toBe(lost);
    expect([...sink.store.keys()]).toEqual(['users/1']);
    expect(log.acked).toEqual([0]);
  });

  it('leaves no failure unhandled when the stream and a build fail together', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const builder = builderWith(1);
      const buildFailed = new FlussoError('source_failed', 'build query: lost the Postgres connection');
      builder.failBuilds = buildFailed;
      const capture = new ScriptedCapture({
        changes: [userChange(1, 0, { acked: [] })],
        failWith: new FlussoError('source_failed', 'replication stream failed'),
      });
      const run = new Engine({ capture, builder, sinks: [new MemorySink()], skipBackfill: true }).run();
      await expect(run).rejects.toBe(buildFailed);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('batches changes into a single flush', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const changes = [0, 1, 2, 3, 4].map((i) => userChange(10 + i, i, log));
    await new Engine({
      capture: new ScriptedCapture({ changes }),
      builder: builderWith(10, 11, 12, 13, 14),
      sinks: [sink],
      batch: wide,
      skipBackfill: true,
    }).run();
    expect(sink.log).toEqual([
      'upsert users 10',
      'upsert users 11',
      'upsert users 12',
      'upsert users 13',
      'upsert users 14',
      'flush',
    ]);
    expect(log.acked).toHaveLength(5);
  });

  it('builds a repeatedly touched document once per batch', async () => {
    const log: AckLog = { acked: [] };
    const builder = builderWith(7);
    builder.collapseTo = documentIdFromTexts(['7']);
    const changes = [0, 1, 2, 3, 4].map((i) => userChange(7, i, log));
    const sink = new MemorySink();
    await new Engine({
      capture: new ScriptedCapture({ changes }),
      builder,
      sinks: [sink],
      batch: wide,
      skipBackfill: true,
    }).run();
    expect(builder.builds.get('7')).toBe(1);
    expect(sink.store.get('users/7')).toEqual({ id: 7, name: 'user 7' });
    expect(log.acked).toHaveLength(5);
  });

  it('confirms no ack before its flush', async () => {
    const sink = new MemorySink();
    const ackedAfterFlushes = new Map<number, number>();
    const log: AckLog = { acked: [] };
    const changes = [0, 1, 2, 3].map((seq) => {
      const change = userChange(seq, seq, log);
      return {
        ...change,
        ack: () => ackedAfterFlushes.set(seq, sink.log.filter((l) => l === 'flush').length),
      };
    });
    await new Engine({
      capture: new ScriptedCapture({ changes }),
      builder: builderWith(0, 1, 2, 3),
      sinks: [sink],
      batch: { maxChanges: 2, maxDelayMs: 10_000 },
      skipBackfill: true,
    }).run();
    expect(sink.log.filter((l) => l === 'flush')).toHaveLength(2);
    expect(Object.fromEntries(ackedAfterFlushes)).toEqual({ 0: 1, 1: 1, 2: 2, 3: 2 });
  });

  it('seeds an unseeded index then marks it', async () => {
    const sink = new MemorySink({ seeded: false });
    const capture = new ScriptedCapture({ rows: [intKey(1), intKey(2)] });
    await new Engine({ capture, builder: builderWith(1, 2), sinks: [sink] }).run();
    expect(capture.snapshots.map((s) => s.table.table)).toEqual(['users']);
    expect([...sink.store.keys()].sort()).toEqual(['users/1', 'users/2']);
    expect(sink.seededMarks).toEqual(['users']);
    expect(sink.log.indexOf('flush')).toBeLessThan(sink.log.length);
  });

  it('skips backfill when the sink reports seeded', async () => {
    const sink = new MemorySink({ seeded: true });
    const capture = new ScriptedCapture({ rows: [intKey(1)] });
    await new Engine({ capture, builder: builderWith(1), sinks: [sink] }).run();
    expect(capture.snapshots).toEqual([]);
    expect(sink.store.size).toBe(0);
    expect(sink.seededMarks).toEqual([]);
  });

  it('skip-backfill flag overrides an unseeded index', async () => {
    const sink = new MemorySink({ seeded: false });
    const capture = new ScriptedCapture({ rows: [intKey(1)] });
    await new Engine({ capture, builder: builderWith(1), sinks: [sink], skipBackfill: true }).run();
    expect(capture.snapshots).toEqual([]);
    expect(sink.log).toEqual([]);
    expect(sink.seededMarks).toEqual([]);
  });

  it('reports lifecycle and progress to the observer', async () => {
    const log: AckLog = { acked: [] };
    const seen = {
      ensured: 0,
      live: false,
      captured: 0,
      committedChanges: 0,
      committedDocuments: 0,
      batches: 0,
    };
    const observer: Observer = {
      onIndexesEnsured: (n) => (seen.ensured = n),
      onLiveStarted: () => (seen.live = true),
      onChangeCaptured: () => (seen.captured += 1),
      onBatchCommitted: (s) => {
        seen.committedChanges += s.changes;
        seen.committedDocuments += s.documents;
        seen.batches += 1;
      },
    };
    const changes = [0, 1, 2, 3, 4].map((i) => userChange(10 + i, i, log));
    await new Engine({
      capture: new ScriptedCapture({ changes }),
      builder: builderWith(),
      sinks: [new MemorySink()],
      observer,
      batch: wide,
      skipBackfill: true,
    }).run();
    expect(seen).toEqual({
      ensured: 1,
      live: true,
      captured: 5,
      committedChanges: 5,
      committedDocuments: 5,
      batches: 1,
    });
  });

  it('redelivers and re-applies idempotently after a crash before flush', async () => {
    const store = new Map();
    const log: AckLog = { acked: [] };
    const script = () => [userChange(1, 0, log), userChange(3, 1, log)];
    const crashing = new MemorySink({ store, failNext: { count: 1, code: 'sink_failed' } });
    const run1 = new Engine({
      capture: new ScriptedCapture({ changes: script() }),
      builder: builderWith(1, 3),
      sinks: [crashing],
      batch: wide,
      skipBackfill: true,
    }).run();
    await expect(run1).rejects.toMatchObject({ code: 'sink_failed' });
    expect(store.size).toBe(0);
    expect(log.acked).toEqual([]);
    await new Engine({
      capture: new ScriptedCapture({ changes: script() }),
      builder: builderWith(1, 3),
      sinks: [new MemorySink({ store })],
      batch: wide,
      skipBackfill: true,
    }).run();
    expect([...store.keys()].sort()).toEqual(['users/1', 'users/3']);
    expect(log.acked.sort()).toEqual([0, 1]);
  });

  it('queues batches built at once in batch order: a slow first build still lands first', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const builder = builderWith(1, 2, 3, 4);
    // The first batch's build finishes last: the second one's query runs meanwhile.
    const build = builder.build.bind(builder);
    const delays = [40, 0, 0];
    let builds = 0;
    builder.build = async (index, ids) => {
      const delay = delays[builds++] ?? 0;
      const built = await build(index, ids);
      await new Promise((resolve) => setTimeout(resolve, delay));
      return built;
    };
    const changes = [1, 2, 3, 4, 1, 2].map((id, i) => userChange(id, i, log));
    await new Engine({
      capture: new ScriptedCapture({ changes }),
      builder,
      sinks: [sink],
      batch: { maxChanges: 2, maxDelayMs: 10_000 },
      skipBackfill: true,
    }).run();
    expect(builds).toBe(3);
    expect(sink.log.filter((l) => l !== 'flush')).toEqual([
      'upsert users 1',
      'upsert users 2',
      'upsert users 3',
      'upsert users 4',
      'upsert users 1',
      'upsert users 2',
    ]);
    expect(log.acked).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('passes caughtUp false while a backlog drains and true on the last batch', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const changes = [0, 1, 2, 3, 4].map((i) => userChange(i, i, log));
    // The scripted stream is fully buffered before ingest reads it: a fixed backlog.
    const capture = new ScriptedCapture({ changes });
    await new Engine({
      capture,
      builder: builderWith(0, 1, 2, 3, 4),
      sinks: [sink],
      batch: { maxChanges: 2, maxDelayMs: 10_000 },
      skipBackfill: true,
    }).run();
    expect(sink.caughtUpFlags).toEqual([false, false, true]);
  });
});

describe('failure policies', () => {
  const run = (policies: FailurePolicies, log: AckLog, observer: Observer = {}) =>
    new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(3, 1, log)] }),
      builder: builderWith(1, 3),
      sinks: [new MemorySink({ rejectIds: new Set(['1', '3']) })],
      policies,
      observer,
      batch: wide,
      skipBackfill: true,
    }).run();

  it('skip quarantines rejected documents and acks the batch', async () => {
    const log: AckLog = { acked: [] };
    const quarantined: string[] = [];
    await run({ default: 'skip', perIndex: {} }, log, {
      onDocumentQuarantined: (_s, index, id) => quarantined.push(`${index}/${id}`),
    });
    expect(quarantined.sort()).toEqual(['users/1', 'users/3']);
    expect(log.acked).toHaveLength(2);
  });

  it('stop errors and leaves the batch unconfirmed', async () => {
    const log: AckLog = { acked: [] };
    const quarantined: string[] = [];
    await expect(
      run({ default: 'stop', perIndex: {} }, log, { onDocumentQuarantined: (_s, i) => quarantined.push(i) }),
    ).rejects.toMatchObject({ code: 'sink_rejected' });
    expect(log.acked).toEqual([]);
    expect(quarantined).toEqual([]);
  });

  it('a per-index stop override halts even when the global policy is skip', async () => {
    const log: AckLog = { acked: [] };
    await expect(run({ default: 'skip', perIndex: { users: 'stop' } }, log)).rejects.toMatchObject({
      code: 'sink_rejected',
    });
    expect(log.acked).toEqual([]);
  });
});
