// End to end: the built binary against a real Postgres and the OpenSearch emulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  caughtUp,
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
let running: RunningFlusso[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
});
afterAll(async () => db?.close());
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  for (const r of running) r.proc.kill('SIGKILL');
  await Promise.all(running.map((r) => r.exited));
  running = [];
  await emu.close();
  await db.sql('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active');
});

async function start(config: string, extra: string[] = []): Promise<RunningFlusso> {
  const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url, extra });
  running.push(f);
  return f;
}

const live = (f: RunningFlusso) =>
  waitFor(
    'live',
    () => f.status(),
    (s) => s?.phase === 'live',
  );
const settled = (f: RunningFlusso) => caughtUp(f);

describe('flusso end to end', () => {
  it('backfills the dev example, then shows changes at every join level and deletes within 2 s', async () => {
    const f = await start(writeConfig().config);
    await live(f);
    expect(await indexDocs(emu.url)).toEqual(await expectedDocs(db.url));
    await db.sql("UPDATE users SET full_name = 'Root Change' WHERE id = 1");
    await db.sql("UPDATE profiles SET bio = 'has_one change' WHERE user_id = 3");
    await db.sql("UPDATE addresses SET city = 'Torino' WHERE id = 5");
    await db.sql("UPDATE orders SET status = 'delivered' WHERE id = 8");
    await db.sql('UPDATE order_items SET quantity = 99 WHERE id = 9');
    await db.sql('DELETE FROM order_items WHERE id = 10');
    // Re-parents: a change carries only its key and link columns (changeColumns), and both the
    // old and the new parent are rebuilt from the foreign keys it carries.
    await db.sql('UPDATE orders SET user_id = 21 WHERE id = 20');
    await db.sql('UPDATE addresses SET user_id = 31 WHERE id = 30');
    await db.sql('UPDATE order_items SET order_id = 40 WHERE id = 41');
    await db.sql('UPDATE users SET deleted = true WHERE id = 11');
    await db.sql(
      'DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = 12); DELETE FROM orders WHERE user_id = 12; DELETE FROM addresses WHERE user_id = 12; DELETE FROM profiles WHERE user_id = 12; DELETE FROM users WHERE id = 12',
    );
    const started = Date.now();
    const expected = await expectedDocs(db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(emu.url),
      (docs) => JSON.stringify(docs) === JSON.stringify(expected) || isEqual(docs, expected),
      2_000,
    );
    expect(Date.now() - started).toBeLessThan(2_500);
    expect((expected['1'] as { fullName: string }).fullName).toBe('Root Change');
    expect(expected['11']).toBeUndefined();
    expect((expected['20'] as { orderCount: number }).orderCount).toBe(2);
    expect((expected['21'] as { orderCount: number }).orderCount).toBe(4);
    const status = await settled(f);
    expect(status).toMatchObject({ indexes: { users: 'seeded' }, errors: 0 });
    expect(status?.changes_committed as number).toBeGreaterThanOrEqual(11);
    const metrics = await (await fetch(`${f.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(/flusso_changes_committed_total (\d+)/);
    expect(Number(/flusso_changes_committed_total (\d+)/.exec(metrics)?.[1])).toBe(status?.changes_committed);
  });

  it('exits 2 naming file, line and key for a bad flusso.toml and a bad schema', async () => {
    const badToml = writeConfig();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      badToml.config,
      readFileSync(badToml.config, 'utf8').replace('refresh_interval', 'refresh_intervl'),
    );
    const a = await start(badToml.config);
    expect(await a.exited).toBe(2);
    expect(a.stderr()).toMatch(
      /flusso\.toml:9: sinks\.primary\.refresh_intervl: unknown key "refresh_intervl"/,
    );
    const badSchema = writeConfig(
      '',
      readFileSync(join(demoDir, 'users.schema.yml'), 'utf8').replace(
        'foreign_key: user_id\n    primary_key: user_id',
        'foreign_ky: user_id\n    primary_key: user_id',
      ),
    );
    const b = await start(badSchema.config);
    expect(await b.exited).toBe(2);
    expect(b.stderr()).toMatch(/users\.schema\.yml:\d+: foreign_ky: unknown key "foreign_ky"/);
    expect(emu.requests).toEqual([]);
  });

  it('stops on SIGTERM within 5 s with exit 0, and the next run resumes with nothing lost', async () => {
    const { config } = writeConfig();
    const f = await start(config);
    await live(f);
    const writer = churn(db, 1500);
    await new Promise((r) => setTimeout(r, 500));
    const t = Date.now();
    f.proc.kill('SIGTERM');
    expect(await f.exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(5_000);
    await writer;
    const again = await start(config);
    await settled(again);
    const expected = await expectedDocs(db.url);
    await waitFor(
      'index equals SQL',
      () => indexDocs(emu.url),
      (docs) => isEqual(docs, expected),
      10_000,
    );
  });

  it('feeds two sinks every document and does not re-backfill a seeded OpenSearch index on restart', async () => {
    const { config } = writeConfig('\n[sinks.audit]\ntype = "stdout"\n');
    const f = await start(config);
    await live(f);
    await db.sql("UPDATE users SET full_name = 'Two Sinks' WHERE id = 2");
    await waitFor(
      'stdout envelope',
      async () => f.stdout(),
      (out) => out.includes('Two Sinks'),
    );
    await settled(f);
    const expected = await expectedDocs(db.url);
    expect(await indexDocs(emu.url)).toEqual(expected);
    const lines = f
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op: string; id: string; sink: string });
    // The latest envelope per id: soft-deleted rows arrive as deletes during backfill.
    const latest = new Map(lines.map((l) => [l.id, l.op]));
    const upserted = [...latest].filter(([, op]) => op === 'upsert').map(([id]) => id);
    expect(new Set(upserted)).toEqual(new Set(Object.keys(expected)));
    expect(lines.every((l) => l.sink === 'audit')).toBe(true);
    f.proc.kill('SIGTERM');
    await f.exited;
    const before = emu.requests.filter((r) => r.path.endsWith('/_bulk')).length;
    const again = await start(config);
    await live(again);
    const bulksAfterRestart = emu.requests.filter((r) => r.path.endsWith('/_bulk')).length - before;
    expect(bulksAfterRestart).toBe(0);
  });

  it('reindexes on POST /reindex into a new generation while searches keep answering, then swaps', async () => {
    const f = await start(writeConfig().config);
    await live(f);
    const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    expect(
      (await fetch(`${f.privateUrl}/reindex?index=nope`, { method: 'POST', headers: auth })).status,
    ).toBe(404);
    const res = await fetch(`${f.privateUrl}/reindex?index=users`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    const counts: number[] = [];
    const generation = async () => {
      counts.push(Object.keys(await indexDocs(emu.url)).length);
      const aliases = (await (await fetch(`${emu.url}/_alias/users`)).json()) as Record<string, unknown>;
      return Object.keys(aliases);
    };
    const [swapped] = await waitFor(
      'alias on generation 2',
      generation,
      (names) => names.length === 1 && (names[0] ?? '').endsWith('_2'),
    );
    expect(swapped).toMatch(/^users_[0-9a-f]{12}_2$/);
    expect(counts.every((n) => n === counts[0])).toBe(true);
    expect(await indexDocs(emu.url)).toEqual(await expectedDocs(db.url));
  });
});

function isEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}
