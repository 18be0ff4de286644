// Dead letters (on_error = "skip") and full-lane policies (on_full), seed 003's
// delivery pattern: nothing is acknowledged before its dead letter is durable,
// and a best-effort sink's drops never cost another sink a document.
import { type DocumentId, documentIdFromTexts, parseIndexName } from '@flusso/core';
import {
  type AckLog,
  ManualClock,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { MemoryDeadLetterStore } from './memory-dead-letter-store.fixture.js';

const skip = { default: 'skip' as const, perIndex: {} };
const two = documentIdFromTexts(['2']);

function builder(): MapDocumentBuilder {
  const b = new MapDocumentBuilder();
  b.rows.set('1', { id: 1 });
  b.rows.set('2', { id: 2, name: 'rejected content' });
  return b;
}

describe('dead letters', () => {
  it('records a document rejected under skip, with its content, reason and LSN, then acks', async () => {
    const log: AckLog = { acked: [] };
    const deadLetters = new MemoryDeadLetterStore();
    const sink = new MemorySink({ name: 'primary', rejectIds: new Set<DocumentId>([two]) });
    const quarantined: string[] = [];
    await new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(2, 1, log)] }),
      builder: builder(),
      sinks: [sink],
      policies: skip,
      deadLetters,
      clock: new ManualClock(1_700_000_000_000),
      observer: { onDocumentQuarantined: (_s, _i, id) => quarantined.push(id) },
      skipBackfill: true,
    }).run();
    expect([...deadLetters.letters.values()]).toEqual([
      {
        sink: 'primary',
        index: parseIndexName('users'),
        id: two,
        op: 'upsert',
        rejection: { type: 'mapper_parsing_exception', reason: 'bad', status: 400 },
        lsn: 2n,
        at: 1_700_000_000_000,
        document: { id: 2, name: 'rejected content' },
      },
    ]);
    expect(sink.store.get('users/1')).toEqual({ id: 1 });
    expect(quarantined).toEqual([two]);
    expect(log.acked).toEqual([0, 1]);
  });

  it('acks nothing until the dead letter is durable', async () => {
    const log: AckLog = { acked: [] };
    const deadLetters = new MemoryDeadLetterStore();
    const holding = deadLetters.hold();
    const sink = new MemorySink({ rejectIds: new Set<DocumentId>([two]) });
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(2, 0, log)] }),
      builder: builder(),
      sinks: [sink],
      policies: skip,
      deadLetters,
      skipBackfill: true,
    }).run();
    await holding;
    expect(log.acked).toEqual([]);
    deadLetters.release();
    await run;
    expect(log.acked).toEqual([0]);
    expect(deadLetters.letters.size).toBe(1);
  });

  it('stops the run with the batch unconfirmed when the dead letter cannot be written', async () => {
    const log: AckLog = { acked: [] };
    const deadLetters = new MemoryDeadLetterStore();
    deadLetters.failNext = 1;
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(2, 1, log)] }),
      builder: builder(),
      sinks: [new MemorySink({ rejectIds: new Set<DocumentId>([two]) })],
      policies: skip,
      deadLetters,
      skipBackfill: true,
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'source_failed', retryable: true });
    expect(log.acked).toEqual([]);
    expect(deadLetters.letters.size).toBe(0);
  });

  it('writes no dead letter under stop', async () => {
    const log: AckLog = { acked: [] };
    const deadLetters = new MemoryDeadLetterStore();
    const run = new Engine({
      capture: new ScriptedCapture({ changes: [userChange(2, 0, log)] }),
      builder: builder(),
      sinks: [new MemorySink({ rejectIds: new Set<DocumentId>([two]) })],
      deadLetters,
      skipBackfill: true,
    }).run();
    await expect(run).rejects.toMatchObject({ code: 'sink_rejected' });
    expect(deadLetters.letters.size).toBe(0);
    expect(log.acked).toEqual([]);
  });
});

describe('full lanes', () => {
  async function stuckAudit(onFull: 'block' | 'drop') {
    const log: AckLog = { acked: [] };
    const b = new MapDocumentBuilder();
    const primary = new MemorySink({ name: 'primary' });
    const audit = new MemorySink({ name: 'audit' });
    const holding = audit.hold();
    const capture = new ScriptedCapture({ keepOpen: true });
    const stop = new AbortController();
    const dropped: number[] = [];
    const run = new Engine({
      capture,
      builder: b,
      sinks: [primary, audit],
      batch: { maxChanges: 1, maxDelayMs: 0 },
      laneCapacity: 2,
      queueCapacity: 4,
      onFull: { audit: onFull },
      observer: { onBatchDropped: (_sink, docs) => dropped.push(docs) },
      skipBackfill: true,
    }).run(stop.signal);
    for (let i = 0; i < 40; i++) {
      b.rows.set(String(i), { v: i });
      capture.emit(userChange(i, i, log));
    }
    await holding;
    return { log, primary, audit, dropped, stop, run };
  }

  it('drop: a stuck best-effort sink drops live batches and never holds the watermark', async () => {
    const { log, primary, audit, dropped, stop, run } = await stuckAudit('drop');
    // Everything is confirmed while the audit sink is still stuck: it is at most once.
    await expect.poll(() => log.acked.length, { timeout: 5000 }).toBe(40);
    expect(log.acked).toEqual([...Array(40).keys()]);
    expect(dropped.length).toBeGreaterThan(30);
    expect(primary.store.size).toBe(40);
    audit.release();
    await expect.poll(() => audit.store.size).toBe(40 - dropped.length);
    stop.abort();
    await run;
  });

  it('block (default): a stuck sink back-pressures, and every document reaches both sinks', async () => {
    const { log, primary, audit, dropped, stop, run } = await stuckAudit('block');
    await expect.poll(() => primary.store.size).toBeGreaterThan(0);
    expect(log.acked).toEqual([]);
    audit.release();
    await expect.poll(() => log.acked.length, { timeout: 5000 }).toBe(40);
    expect(dropped).toEqual([]);
    expect(audit.store.size).toBe(40);
    expect(primary.store.size).toBe(40);
    stop.abort();
    await run;
  });
});
