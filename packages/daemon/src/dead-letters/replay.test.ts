import { type DocumentId, documentIdFromTexts, parseIndexName } from '@flusso/core';
import { ManualClock, MapDocumentBuilder, MemorySink } from '@flusso/core/testing';
import type { DeadLetter } from '@flusso/engine';
import { describe, expect, it } from 'vitest';
import { MemoryDeadLetterBook } from './memory-dead-letter-book.js';
import { replayDeadLetters } from './replay.js';

const users = parseIndexName('users');
const id = (n: number) => documentIdFromTexts([String(n)]);

function letter(n: number, sink = 'primary'): DeadLetter {
  return {
    sink,
    index: users,
    id: id(n),
    op: 'upsert',
    rejection: { type: 'mapper_parsing_exception', reason: 'bad', status: 400 },
    lsn: null,
    at: n,
    document: { id: n, score: 'abc' },
  };
}

async function setup(rejectIds: DocumentId[] = []) {
  const book = new MemoryDeadLetterBook();
  const builder = new MapDocumentBuilder();
  const sink = new MemorySink({ name: 'primary', rejectIds: new Set(rejectIds) });
  const clock = new ManualClock(1_000);
  const parts = { book, builder, clock, sink: async (n: string) => (n === 'primary' ? sink : null) };
  return { book, builder, sink, parts };
}

describe('replayDeadLetters', () => {
  it('rebuilds from the current rows, lands the document and removes its letter', async () => {
    const { book, builder, sink, parts } = await setup();
    await book.record([letter(1), letter(2)]);
    builder.rows.set('1', { id: 1, score: 42 });
    builder.rows.set('2', { id: 2, score: 7 });
    const outcomes = await replayDeadLetters(parts, { id: '1' });
    expect(outcomes).toEqual([{ sink: 'primary', index: 'users', id: '1', replayed: true }]);
    expect(sink.store.get('users/1')).toEqual({ id: 1, score: 42 });
    expect([...(await book.list({}))].map((l) => l.id)).toEqual(['2']);
  });

  it('sends a delete when the root row is gone', async () => {
    const { book, sink, parts } = await setup();
    sink.store.set('users/3', { id: 3 });
    await book.record([letter(3)]);
    await replayDeadLetters(parts, {});
    expect(sink.store.has('users/3')).toBe(false);
    expect(await book.list({})).toEqual([]);
  });

  it('keeps a letter the sink rejects again, with the new reason and one more attempt', async () => {
    const { book, builder, parts } = await setup([id(4)]);
    await book.record([letter(4)]);
    builder.rows.set('4', { id: 4, score: 'still bad' });
    const [outcome] = await replayDeadLetters(parts, {});
    expect(outcome).toMatchObject({ replayed: false, reason: 'mapper_parsing_exception: bad' });
    const [kept] = await book.list({});
    expect(kept).toMatchObject({ attempts: 2, at: 1_000, document: { id: 4, score: 'still bad' } });
  });

  it('keeps the letters of a sink that is no longer configured', async () => {
    const { book, parts } = await setup();
    await book.record([letter(5, 'gone')]);
    const [outcome] = await replayDeadLetters(parts, {});
    expect(outcome).toMatchObject({ replayed: false, reason: 'sink gone is not configured' });
    expect((await book.list({})).length).toBe(1);
  });

  it('a document that still cannot be built keeps its letter as build_failed; the rest of its group replays', async () => {
    const { book, builder, sink, parts } = await setup();
    builder.badRows.set(id(6), '22003');
    for (const n of [5, 6, 7]) builder.rows.set(String(n), { id: n, score: n });
    await book.record([letter(5), letter(6), letter(7)]);
    const outcomes = await replayDeadLetters(parts, {});
    expect(outcomes.map((o) => [o.id, o.replayed, o.reason])).toEqual([
      ['5', true, undefined],
      ['6', false, 'build_failed: document query failed: SQLSTATE 22003'],
      ['7', true, undefined],
    ]);
    expect(sink.store.get('users/5')).toEqual({ id: 5, score: 5 });
    expect(sink.store.get('users/7')).toEqual({ id: 7, score: 7 });
    const [kept] = await book.list({});
    expect(kept).toMatchObject({
      id: '6',
      op: 'upsert',
      document: null,
      rejection: { type: 'build_failed' },
    });
  });
});
