// Issue 18.5: a reindex runs beside the live stream. With real Postgres and the
// emulator, the reindex backfill of `users` is held after its first page while
// live changes to `orders` AND to `users` land (read back through the aliases),
// the slot's confirmed LSN moves past them, and after the swap `users` equals SQL.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIndexName, type SnapshotPage, type SnapshotScope } from '@flusso/core';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import { OpenSearchSink } from '@flusso/sinks/opensearch';
import { PgChangeCapture, PgDocumentBuilder } from '@flusso/sources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backends } from '../backends.js';
import { Daemon } from '../daemon.js';
import { compileConfig } from '../lock/compile-config.js';
import type { FlussoLock } from '../lock/lock.js';

/** Holds every snapshot after its first page while `gate` is set (the reindex, not the initial backfill). */
class GatedCapture extends PgChangeCapture {
  gate: Promise<void> | null = null;
  reached: () => void = () => undefined;

  override async *snapshot(scope: SnapshotScope, pageSize?: number): AsyncIterable<SnapshotPage> {
    let first = true;
    for await (const page of super.snapshot(scope, pageSize)) {
      yield page;
      if (first && this.gate) {
        this.reached();
        await this.gate;
      }
      first = false;
    }
  }
}

const ROWS = 3_000;
let db: TestDatabase;
let emu: Emulator;
const [version] = testedVersions();

beforeAll(async () => {
  db = await createTestDatabase(version ? { version } : {});
  emu = await startEmulator({ autoRefresh: false });
  await db.sql(
    'CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE orders (id int PRIMARY KEY, note text NOT NULL)',
  );
  await db.sql(`INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, ${ROWS}) g`);
  await db.sql(`INSERT INTO orders SELECT g, 'o' || g FROM generate_series(1, 10) g`);
}, 120_000);
afterAll(async () => {
  await emu?.close();
  await db?.close();
});

function lockFor(): FlussoLock {
  const dir = mkdtempSync(join(tmpdir(), 'flusso-reindex-'));
  writeFileSync(
    join(dir, 'users.schema.yml'),
    'version: 1\ntable: users\nfields:\n  - integer: id\n  - keyword: name\n',
  );
  writeFileSync(
    join(dir, 'orders.schema.yml'),
    'version: 1\ntable: orders\nfields:\n  - integer: id\n  - keyword: note\n',
  );
  writeFileSync(
    join(dir, 'flusso.toml'),
    '[source]\ntype = "postgres"\n[sinks.primary]\ntype = "opensearch"\n' +
      '[[index]]\nname = "users"\nschema = "users.schema.yml"\nenabled = true\n' +
      '[[index]]\nname = "orders"\nschema = "orders.schema.yml"\nenabled = true\n',
  );
  return compileConfig(join(dir, 'flusso.toml'));
}

function backends(lock: FlussoLock, capture: GatedCapture): Backends {
  return {
    capture: async () => capture,
    builder: async () =>
      new PgDocumentBuilder({
        db: { query: async (text, params) => ({ rows: await db.sql(text, params) }) },
        indexes: lock.indexes.map((i) => ({ name: parseIndexName(i.name), schema: i.schema })),
      }),
    sink: async (name) => new OpenSearchSink({ name, url: emu.url, numberOfReplicas: 0 }),
  };
}

/** A daemon over its own slot and publication, running; its capture can be held between pages. */
async function startDaemon(slot: string) {
  const lock = lockFor();
  const capture = new GatedCapture({ url: db.url, slot, publication: slot, statusIntervalMs: 100 });
  const running = await new Daemon(lock, backends(lock, capture), {
    slot,
    publication: slot,
    batch: { maxChanges: 256, maxDelayMs: 20 },
  }).start();
  const stop = new AbortController();
  const run = running.run(stop.signal);
  return { capture, running, stop, run };
}

/** Waits until `d` has indexed every row of users and is live. */
async function untilLive(d: Awaited<ReturnType<typeof startDaemon>>, rows: number): Promise<void> {
  await waitFor('initial backfill', async () => (await searchAll('users')).size === rows);
  await waitFor('live', async () => d.running.status.snapshot().phase === 'live');
}

/** Starts a reindex of users and holds it between its first and second page until `release`. */
async function reindexHeld(d: Awaited<ReturnType<typeof startDaemon>>) {
  let release!: () => void;
  d.capture.gate = new Promise<void>((r) => (release = r));
  const reached = new Promise<void>((r) => (d.capture.reached = r));
  const reindex = d.running.reindex(parseIndexName('users'));
  await within('the reindex held after its first page', reached);
  return { reindex, release };
}

/**
 * `promise`, or after `ms` a failure naming what every busy Postgres session waits on:
 * once seen hanging under a loaded full run, where the test's own timeout says nothing.
 */
async function within<T>(what: string, promise: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      db.sql(
        "SELECT state, wait_event_type, wait_event, left(query, 120) AS query FROM pg_stat_activity WHERE state <> 'idle'",
      ).then(
        (sessions) => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(sessions)}`)),
        () => reject(new Error(`timed out waiting for ${what}`)),
      );
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every document visible through `alias` to a search, as id → source. */
async function searchAll(alias: string): Promise<Map<string, unknown>> {
  const res = await fetch(`${emu.url}/${alias}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, query: { match_all: {} } }),
  });
  const body = (await res.json()) as { hits?: { hits: { _id: string; _source: unknown }[] } };
  return new Map((body.hits?.hits ?? []).map((h) => [h._id, h._source]));
}

// Generous deadlines and a slow poll: each check reads every document, and on a loaded
// machine a tight poll would take the CPU the daemon under test needs.
async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sameDocs = (a: Map<string, unknown>, b: Map<string, unknown>) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

async function sqlUsers(): Promise<Map<string, unknown>> {
  const rows = await db.sql<{ id: number; name: string }>('SELECT id, name FROM users ORDER BY id');
  return new Map(rows.map((r) => [String(r.id), { id: r.id, name: r.name }]));
}

describe('issue-18 reindex beside live', () => {
  it('keeps live changes of every index flowing while a reindex backfills, then swaps to the SQL truth', async () => {
    const daemon = await startDaemon('reidx');
    const { stop, run } = daemon;
    try {
      await untilLive(daemon, ROWS);
      const generations = () => [...emu.store.indexes.keys()].filter((n) => n.startsWith('users_')).sort();
      const before = generations();

      const held = await reindexHeld(daemon);
      const { release } = held;
      let reindexDone = false;
      const reindex = held.reindex.then(() => (reindexDone = true));
      expect(generations()).toHaveLength(before.length + 1);

      const lsnBefore = (await db.sql<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn;
      // id 10 sits in the page already written to the new generation; 2500 in one not yet read.
      await db.sql("UPDATE users SET name = 'live-10' WHERE id = 10");
      await db.sql("UPDATE users SET name = 'live-2500' WHERE id = 2500");
      await db.sql('DELETE FROM users WHERE id IN (20, 2600)');
      await db.sql(`INSERT INTO users VALUES (${ROWS + 1}, 'new')`);
      await db.sql("UPDATE orders SET note = 'live-o1' WHERE id = 1");
      await db.sql("INSERT INTO orders VALUES (11, 'o11')");

      await waitFor('live changes visible through the aliases during the reindex', async () => {
        const users = await searchAll('users');
        const orders = await searchAll('orders');
        return (
          (users.get('10') as { name?: string } | undefined)?.name === 'live-10' &&
          (users.get('2500') as { name?: string } | undefined)?.name === 'live-2500' &&
          !users.has('20') &&
          !users.has('2600') &&
          users.has(String(ROWS + 1)) &&
          (orders.get('1') as { note?: string } | undefined)?.note === 'live-o1' &&
          orders.has('11')
        );
      });
      await waitFor('the slot confirmed past the live changes', async () => {
        const [row] = await db.sql<{ ok: boolean }>(
          "SELECT confirmed_flush_lsn > $1::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = 'reidx'",
          [lsnBefore],
        );
        return row?.ok === true;
      });
      expect(reindexDone).toBe(false);

      release();
      await within('the reindex swapped in', reindex, 120_000);
      expect(generations()).not.toEqual(before);
      await waitFor('users equals SQL after the swap', async () =>
        sameDocs(await searchAll('users'), await sqlUsers()),
      );
      expect(await searchAll('users')).toEqual(await sqlUsers());
    } finally {
      stop.abort();
      await run;
    }
  }, 240_000);

  it('lets a TRUNCATE of the reindexed root table through mid-reindex, and ends on the SQL truth', async () => {
    const daemon = await startDaemon('reidx2');
    const { stop, run } = daemon;
    try {
      await untilLive(daemon, (await sqlUsers()).size);
      const { reindex, release } = await reindexHeld(daemon);
      // The reindex's page reader is between pages: it must hold no lock on users.
      await db.sql("SET lock_timeout = '5s'; TRUNCATE users; RESET lock_timeout");
      await db.sql("INSERT INTO users VALUES (1, 'after-truncate'), (2, 'again')");
      release();
      await within('the reindex swapped in after the TRUNCATE', reindex, 120_000);
      await waitFor('users equals SQL after the TRUNCATE and the swap', async () =>
        sameDocs(await searchAll('users'), await sqlUsers()),
      );
      expect(await searchAll('users')).toEqual(await sqlUsers());
    } finally {
      stop.abort();
      await run;
    }
  }, 240_000);
});
