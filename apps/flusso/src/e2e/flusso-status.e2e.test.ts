// issue 17: /status returns to `live` after a reindex under load and after a
// restart in the middle of one (the built binary, real Postgres, the emulator).
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  churn,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const rig = useDemoRig(
  // Enough rows that a reindex is still running when the test strikes.
  "INSERT INTO users (id, email, full_name) SELECT i, 'u' || i || '@example.com', 'Bulk ' || i FROM generate_series(1000, 9499) AS i; ANALYZE users",
);
const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };

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
  return Object.keys((await (await fetch(`${rig.emu.url}/_alias/users`)).json()) as Record<string, unknown>);
}

describe('issue-17 /status phase', () => {
  it('returns to live after POST /reindex under load', async () => {
    const f = await rig.start(writeConfig().config);
    await liveAndIdle(f, 'live before the reindex');
    const before = (await aliasTargets())[0] ?? '';
    let writing = true;
    const writer = (async () => {
      while (writing) await churn(rig.db, 200);
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
    const expected = await expectedDocs(rig.db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(rig.emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);

  it('returns to live after a SIGKILL in the middle of a reindex and a restart', async () => {
    const { config } = writeConfig();
    const f = await rig.start(config);
    await liveAndIdle(f, 'live before the reindex');
    await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    await reindexing(f);
    f.proc.kill('SIGKILL');
    await f.exited;
    await churn(rig.db, 300);
    const again = await rig.start(config);
    await liveAndIdle(again, 'live after the restart');
    const expected = await expectedDocs(rig.db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(rig.emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);

  it('returns to live after Postgres drops its connections during a reindex', async () => {
    const f = await rig.start(writeConfig().config);
    await liveAndIdle(f, 'live before the reindex');
    const writer = churn(rig.db, 1500);
    await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    await reindexing(f);
    await rig.db.sql(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await writer;
    await liveAndIdle(f, 'live after the in-process restart');
    expect(f.proc.exitCode).toBeNull();
    const expected = await expectedDocs(rig.db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(rig.emu.url),
      (docs) => same(docs, expected),
      15_000,
    );
  }, 90_000);
});
