// issue 18.5 through the built binary: `POST /reindex?index=events` rebuilds a
// large index while changes keep landing. Changes to `users` and to `events`
// itself arrive (read through the aliases) within a bound while the reindex is
// still running, and afterwards `events` and `users` equal the SQL.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoDir,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
} from './flusso-process.fixture.js';

const ROWS = 60_000;
/** A live change must be readable within this while the reindex runs (loaded CI machine). */
const BOUND_MS = 5_000;
const EVENTS = 'version: 1\ntable: events\nfields:\n  - integer: id\n  - keyword: kind\n  - text: payload\n';

let db: TestDatabase;
let emu: Emulator;
let flusso: RunningFlusso | null = null;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  await db.sql('CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, payload text NOT NULL)');
  await db.sql(
    `INSERT INTO events SELECT g, 'k' || (g % 7), 'payload ' || g FROM generate_series(1, ${ROWS}) g`,
  );
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'flusso-reindex-e2e-'));
  writeFileSync(join(dir, 'users.schema.yml'), readFileSync(join(demoDir, 'users.schema.yml'), 'utf8'));
  writeFileSync(join(dir, 'events.schema.yml'), EVENTS);
  writeFileSync(
    join(dir, 'flusso.toml'),
    '[source]\ntype = "postgres"\nconnection_url = { env = "DATABASE_URL" }\n\n' +
      '[sinks.primary]\ntype = "opensearch"\nurl = "http://127.0.0.1:1"\nnumber_of_replicas = 0\nrefresh_interval = "1s"\n\n' +
      '[[index]]\nname = "users"\nschema = "users.schema.yml"\nenabled = true\n\n' +
      '[[index]]\nname = "events"\nschema = "events.schema.yml"\nenabled = true\n',
  );
}, 120_000);
afterAll(async () => {
  flusso?.proc.kill('SIGKILL');
  await flusso?.exited;
  await emu?.close();
  await db?.close();
});

async function getDoc(alias: string, id: number): Promise<Record<string, unknown> | null> {
  const res = await fetch(`${emu.url}/${alias}/_doc/${id}`);
  const body = (await res.json()) as { found?: boolean; _source?: Record<string, unknown> };
  return body.found ? (body._source ?? null) : null;
}

async function eventsGenerations(): Promise<string[]> {
  return Object.keys((await (await fetch(`${emu.url}/_alias/events`)).json()) as Record<string, unknown>);
}

/** Every `events` document through the alias, read in id ranges (a search returns at most 10 000). */
async function allEvents(): Promise<Record<string, unknown>> {
  await fetch(`${emu.url}/events/_refresh`, { method: 'POST' });
  const out: Record<string, unknown> = {};
  for (let from = 0; from <= ROWS + 100; from += 5_000) {
    const res = await fetch(`${emu.url}/events/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 10_000, query: { range: { id: { gte: from, lt: from + 5_000 } } } }),
    });
    const body = (await res.json()) as { hits?: { hits: { _id: string; _source: unknown }[] } };
    for (const h of body.hits?.hits ?? []) out[h._id] = h._source;
  }
  return out;
}

describe('issue-18 reindex beside live (binary)', () => {
  it('keeps live changes arriving within a bound during POST /reindex, then equals the SQL', async () => {
    const f = await startFlusso({ config: join(dir, 'flusso.toml'), dbUrl: db.url, osUrl: emu.url });
    flusso = f;
    await waitFor(
      'live after the initial backfill',
      () => f.status(),
      (s) => s?.phase === 'live' && s.changes_in_flight === 0,
      120_000,
    );
    const before = await eventsGenerations();
    const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const res = await fetch(`${f.privateUrl}/reindex?index=events`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);

    const during: number[] = [];
    for (let k = 1; k <= 40; k += 1) {
      const user = 20 + (k % 50);
      const event = ROWS - k * 37;
      const started = Date.now();
      await db.sql(`UPDATE users SET full_name = 'reindex ${k}' WHERE id = ${user}`);
      await db.sql(`UPDATE events SET payload = 'live ${k}' WHERE id = ${event}`);
      await waitFor(
        `change ${k} readable`,
        async () => [await getDoc('users', user), await getDoc('events', event)],
        ([u, e]) => u?.fullName === `reindex ${k}` && e?.payload === `live ${k}`,
        BOUND_MS,
      );
      const took = Date.now() - started;
      // Counted only if the reindex was still running when the change had arrived.
      if ((await eventsGenerations()).join() !== before.join()) break;
      during.push(took);
    }
    console.log(`live change arrival during the reindex (ms): ${during.join(', ')}`);
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...during)).toBeLessThanOrEqual(BOUND_MS);

    await waitFor(
      'events alias swapped to a new generation',
      eventsGenerations,
      (names) => names.length === 1 && names.join() !== before.join(),
      120_000,
    );
    await waitFor(
      'nothing in flight',
      () => f.status(),
      (s) => s?.phase === 'live' && s.changes_in_flight === 0,
      30_000,
    );
    const expectedEvents = await expectedDocs(db.url, join(dir, 'events.schema.yml'), {
      index: 'events',
      table: 'events',
    });
    expect(await allEvents()).toEqual(expectedEvents);
    expect(await indexDocs(emu.url)).toEqual(await expectedDocs(db.url));
  }, 300_000);
});
