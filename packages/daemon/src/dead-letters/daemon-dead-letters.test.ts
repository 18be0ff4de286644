import { type DocumentId, documentIdFromTexts, type IndexSchema } from '@flusso/core';
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
import { parseConfigText } from '../config/load-config.js';
import { Daemon } from '../daemon.js';
import type { FlussoLock } from '../lock/lock.js';
import { MemoryDeadLetterBook } from './memory-dead-letter-book.js';

const USERS: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [],
};

function lockWith(onError: 'stop' | 'skip'): FlussoLock {
  return {
    lock_version: 1,
    config: parseConfigText(
      'flusso.toml',
      `on_error = "${onError}"\n[source]\ntype = "postgres"\n[sinks.primary]\ntype = "opensearch"\nurl = "http://x"\n`,
    ),
    indexes: [{ name: 'users', enabled: true, schema_file: 'users.schema.yml', schema: USERS, hash: 'h' }],
  };
}

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
    const running = await new Daemon(lockWith('skip'), backends, {
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
    const running = await new Daemon(lockWith('stop'), backends, { skipBackfill: true }).start();
    await running.run();
    expect(opened()).toBe(0);
    expect(running.status.snapshot().dead_letters).toBeNull();
  });
});
