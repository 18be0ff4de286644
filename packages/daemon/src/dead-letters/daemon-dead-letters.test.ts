import { type DocumentId, documentIdFromTexts } from '@flusso/core';
import {
  type AckLog,
  ManualClock,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import type { Backends } from '../backends.js';
import { Daemon } from '../daemon.js';
import { usersLock } from '../users-lock.fixture.js';
import { MemoryDeadLetterBook } from './memory-dead-letter-book.js';

function setup(capture: ScriptedCapture) {
  const book = new MemoryDeadLetterBook();
  const builder = new MapDocumentBuilder();
  builder.rows.set('1', { id: 1 });
  builder.rows.set('2', { id: 2 });
  const sink = new MemorySink({
    name: 'primary',
    rejectIds: new Set<DocumentId>([documentIdFromTexts(['2'])]),
  });
  let opened = 0;
  const backends: Backends = {
    capture: async () => capture,
    builder: async () => builder,
    sink: async () => sink,
    deadLetters: async () => {
      opened += 1;
      return book;
    },
  };
  return { book, backends, opened: () => opened };
}

describe('Daemon dead letters', () => {
  it('under skip records the rejected document and shows the counts in the status', async () => {
    const log: AckLog = { acked: [] };
    const capture = new ScriptedCapture({
      changes: [userChange(1, 0, log), userChange(2, 1, log)],
      keepOpen: true,
    });
    const { book, backends } = setup(capture);
    const clock = new ManualClock(0);
    const running = await new Daemon(usersLock('on_error = "skip"\n'), backends, {
      skipBackfill: true,
      clock,
      lagPollIntervalMs: 1000,
      batch: { maxChanges: 1, maxDelayMs: 0 },
    }).start();
    const stop = new AbortController();
    const run = running.run(stop.signal);
    await expect.poll(() => log.acked.length).toBe(2);
    expect([...book.letters.values()].map((l) => [l.sink, l.index, l.id])).toEqual([
      ['primary', 'users', '2'],
    ]);
    clock.advance(1000);
    await expect
      .poll(() => running.status.snapshot().dead_letters)
      .toEqual({ total: 1, by_index: { users: 1 }, by_sink: { primary: 1 } });
    stop.abort();
    await run;
  });

  it('under stop opens no dead-letter store', async () => {
    const { backends, opened } = setup(new ScriptedCapture());
    const running = await new Daemon(usersLock('on_error = "stop"\n'), backends, {
      skipBackfill: true,
    }).start();
    await running.run();
    expect(opened()).toBe(0);
    expect(running.status.snapshot().dead_letters).toBeNull();
  });
});
