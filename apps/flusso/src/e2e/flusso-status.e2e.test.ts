// issue 17: /status returns to `live` after a reindex under load and after a
// restart in the middle of one (the built binary, real Postgres, the emulator).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  churn,
  demoDir,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

let db: TestDatabase;
let emu: Emulator;
const running: RunningFlusso[] = [];
const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  // Enough rows that a reindex is still running when the test strikes.
  await db.sql(
    "INSERT INTO users (id, email, full_name) SELECT i, 'u' || i || '@example.com', 'Bulk ' || i FROM generate_series(1000, 9499) AS i; ANALYZE users",
  );
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
  await db?.close();
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.proc.kill('SIGKILL');
    await r.exited;
  }
});

async function start(config: string): Promise<RunningFlusso> {
  const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
  running.push(f);
  return f;
}

const liveAndIdle = (f: RunningFlusso, what: string) =>
  waitFor(
    what,
    () => f.status(),
    (s) =>
      s?.phase === 'live' &&
      s.changes_in_flight === 0 &&
      JSON.stringify(s.indexes) === JSON.stringify({ users: 'seeded' }),
    30_000,
  );

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const reindexing = (f: RunningFlusso) =>
  waitFor(
    'the reindex running',
    () => f.status(),
    (s) => (s?.indexes as Record<string, string> | undefined)?.users === 'backfilling',
  );

async function aliasTargets(): Promise<string[]> {
  return Object.keys((await (await fetch(`${emu.url}/_alias/users`)).json()) as Record<string, unknown>);
}

describe('issue-17 /status phase', () => {
  it('returns to live after POST /reindex under load', async () => {
    const f = await start(writeConfig().config);
    await liveAndIdle(f, 'live before the reindex');
    const before = (await aliasTargets())[0] ?? '';
    let writing = true;
    const writer = (async () => {
      while (writing) await churn(db, 200);
    })();
    const res = await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    await waitFor(
      'the alias on a new generation',
      aliasTargets,
      (names) => names.length === 1 && names[0] !== before,
    );
    writing = false;
    await writer;
    const status = await liveAndIdle(f, 'live again after the reindex');
    expect(status).toMatchObject({ backfill: {}, errors: 0 });
    expect((await fetch(`${f.publicUrl}/readyz`)).status).toBe(200);
    const expected = await expectedDocs(db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);

  it('returns to live after a SIGKILL in the middle of a reindex and a restart', async () => {
    const { config } = writeConfig();
    const f = await start(config);
    await liveAndIdle(f, 'live before the reindex');
    await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    await reindexing(f);
    f.proc.kill('SIGKILL');
    await f.exited;
    await churn(db, 300);
    const again = await start(config);
    await liveAndIdle(again, 'live after the restart');
    const expected = await expectedDocs(db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);

  it('returns to live after Postgres drops its connections during a reindex', async () => {
    const f = await start(writeConfig().config);
    await liveAndIdle(f, 'live before the reindex');
    const writer = churn(db, 1500);
    await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    await reindexing(f);
    await db.sql(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await writer;
    await liveAndIdle(f, 'live after the in-process restart');
    expect(f.proc.exitCode).toBeNull();
    const expected = await expectedDocs(db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);
});
