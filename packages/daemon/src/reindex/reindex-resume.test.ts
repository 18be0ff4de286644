// A reindex survives the process: it is recorded in the journal before it starts
// and removed after the swap; a daemon that starts with a recorded reindex (its
// predecessor died mid-way) runs it again and clears it once swapped.
import { parseIndexName } from '@flusso/core';
import { intKey, MapDocumentBuilder, MemorySink, ScriptedCapture } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import type { Backends } from '../backends.js';
import { Daemon } from '../daemon.js';
import { usersLock } from '../users-lock.fixture.js';
import { MemoryReindexJournal } from './reindex-journal.js';

const users = parseIndexName('users');
const lock = usersLock();

function parts(journal: MemoryReindexJournal, keepOpen = false) {
  const builder = new MapDocumentBuilder();
  builder.rows.set('1', { id: 1 });
  builder.rows.set('2', { id: 2 });
  const sink = new MemorySink({ name: 'primary', seeded: true });
  const capture = new ScriptedCapture({ rows: [intKey(1), intKey(2)], keepOpen });
  const backends: Backends = {
    capture: async () => capture,
    builder: async () => builder,
    sink: async () => sink,
    reindexJournal: async () => journal,
  };
  return { backends, sink };
}

describe('a reindex resumes after a restart', () => {
  it('runs a reindex the journal still holds, then clears it', async () => {
    const journal = new MemoryReindexJournal();
    await journal.requested(users);
    const { backends, sink } = parts(journal);
    const running = await new Daemon(lock, backends).start();
    await running.run();
    expect(sink.reindexed).toEqual([users]);
    expect(sink.seededMarks).toEqual([users]);
    expect(sink.log.filter((l) => l.startsWith('upsert')).sort()).toEqual([
      'upsert users 1',
      'upsert users 2',
    ]);
    expect(await journal.pending()).toEqual([]);
  });

  it('records a requested reindex until it swapped; one its process never served runs on the next start', async () => {
    const journal = new MemoryReindexJournal();
    const { backends, sink } = parts(journal, true);
    const running = await new Daemon(lock, backends).start();
    const stop = new AbortController();
    const run = running.run(stop.signal);
    const reindex = running.reindex(users);
    await expect.poll(() => journal.entries.length).toBe(1);
    await reindex;
    expect(sink.seededMarks).toEqual([users]);
    expect(await journal.pending()).toEqual([]);
    stop.abort();
    await run;

    // Requested, and the process dies before serving it: recorded; the next process runs it.
    const dying = await new Daemon(lock, parts(journal, true).backends).start();
    void dying.reindex(users).catch(() => undefined);
    await expect.poll(() => journal.entries.length).toBe(1);
    const next = parts(journal);
    await (await new Daemon(lock, next.backends).start()).run();
    expect(next.sink.seededMarks).toEqual([users]);
    expect(await journal.pending()).toEqual([]);
  });

  it('forgets a recorded reindex of an index the config no longer has', async () => {
    const journal = new MemoryReindexJournal();
    await journal.requested(parseIndexName('gone'));
    const { backends, sink } = parts(journal);
    await (await new Daemon(lock, backends).start()).run();
    expect(sink.reindexed).toEqual([]);
    expect(await journal.pending()).toEqual([]);
  });
});
