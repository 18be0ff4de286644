// A document whose build fails on its data (the builder's `invalid_value`) is found
// by splitting its batch; the rest is delivered, and the document goes its index's
// way: a dead letter with codes only under `skip`, a stop naming it under `stop`.
// Live batches and backfill pages alike. (Real Postgres: the sources builder's tests
// and the flusso-build-errors e2e.)
import type { FailurePolicies } from '@flusso/core';
import {
  type AckLog,
  ManualClock,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { MemoryDeadLetterStore } from '../dead-letters/memory-dead-letter-store.fixture.js';
import { Engine } from '../engine.js';
import { DocumentBuildError } from './document-build-error.js';

/** `n` users; a build holding `bad` fails as a division by zero in its SQL would. */
function builder(n: number, bad: string): MapDocumentBuilder {
  const b = new MapDocumentBuilder();
  b.badRows.set(bad, '22012');
  for (let i = 1; i <= n; i++) b.rows.set(String(i), { id: i, secret: `value ${i}` });
  return b;
}

const skip: FailurePolicies = { default: 'skip', perIndex: {} };
const stop: FailurePolicies = { default: 'skip', perIndex: { users: 'stop' } };

describe('a document that cannot be built', () => {
  it('live, under skip: the other 29 are delivered and acked, the bad one is a dead letter with codes only', async () => {
    const log: AckLog = { acked: [] };
    const deadLetters = new MemoryDeadLetterStore();
    const sinks = [new MemorySink({ name: 'primary' }), new MemorySink({ name: 'replica' })];
    const b = builder(30, '17');
    await new Engine({
      capture: new ScriptedCapture({
        changes: Array.from({ length: 30 }, (_, i) => userChange(i + 1, i, log)),
      }),
      builder: b,
      sinks,
      policies: skip,
      deadLetters,
      clock: new ManualClock(1_700_000_000_000),
      batch: { maxChanges: 256, maxDelayMs: 10_000 },
      skipBackfill: true,
    }).run();
    for (const sink of sinks) {
      expect([...sink.store.keys()].sort()).toEqual(
        Array.from({ length: 30 }, (_, i) => `users/${i + 1}`)
          .filter((k) => k !== 'users/17')
          .sort(),
      );
    }
    const letters = [...deadLetters.letters.values()];
    expect(letters).toEqual(
      ['primary', 'replica'].map((sink) => ({
        sink,
        index: 'users',
        id: '17',
        op: 'upsert',
        rejection: { type: 'build_failed', reason: 'document query failed: SQLSTATE 22012', status: 0 },
        lsn: 30n,
        at: 1_700_000_000_000,
        document: null,
      })),
    );
    expect(JSON.stringify(letters, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('value');
    expect(log.acked.length).toBe(30);
    // The batch's sizes built, in order: halves down to the one id, each good half once.
    expect(b.buildSizes).toEqual([30, 15, 15, 8, 4, 2, 1, 1, 2, 4, 7]);
  });

  it('live, under stop: the run stops naming the index, the id and the SQLSTATE, nothing acked', async () => {
    const log: AckLog = { acked: [] };
    const sink = new MemorySink();
    const run = new Engine({
      capture: new ScriptedCapture({
        changes: Array.from({ length: 10 }, (_, i) => userChange(i + 1, i, log)),
      }),
      builder: builder(10, '4'),
      sinks: [sink],
      policies: stop,
      batch: { maxChanges: 256, maxDelayMs: 10_000 },
      skipBackfill: true,
    }).run();
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentBuildError);
    expect(error).toMatchObject({
      code: 'invalid_value',
      retryable: false,
      index: 'users',
      id: '4',
      sqlstate: '22012',
      context: { index: 'users', id: '4', pg_code: '22012' },
    });
    expect((error as Error).message).toContain('index users: document 4 cannot be built (SQLSTATE 22012)');
    expect(log.acked).toEqual([]);
    expect(sink.store.size).toBe(0);
  });

  it('in a backfill page, under skip: the page is delivered but for the bad one, which is a dead letter', async () => {
    const deadLetters = new MemoryDeadLetterStore();
    const sink = new MemorySink({ name: 'primary' });
    const rows = Array.from({ length: 25 }, (_, i) => [{ kind: 'int4' as const, value: i + 1 }]);
    await new Engine({
      capture: new ScriptedCapture({ resumed: false, rows }),
      builder: builder(25, '9'),
      sinks: [sink],
      policies: skip,
      deadLetters,
      snapshotPageSize: 10,
    }).run();
    expect(sink.store.size).toBe(24);
    expect(sink.store.has('users/9')).toBe(false);
    expect([...deadLetters.letters.values()].map((l) => [l.sink, l.id, l.lsn, l.rejection.type])).toEqual([
      ['primary', '9', null, 'build_failed'],
    ]);
  });

  it('in a backfill page, under stop: the backfill stops naming it', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => [{ kind: 'int4' as const, value: i + 1 }]);
    const run = new Engine({
      capture: new ScriptedCapture({ resumed: false, rows }),
      builder: builder(25, '21'),
      sinks: [new MemorySink()],
      policies: stop,
      snapshotPageSize: 10,
    }).run();
    await expect(run).rejects.toMatchObject({ index: 'users', id: '21', sqlstate: '22012' });
  });
});
