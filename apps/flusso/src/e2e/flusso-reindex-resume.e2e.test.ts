// A reindex survives a crash, through the built binary: `POST /reindex?index=events`
// starts staging a new generation; the process is SIGKILLed while that generation
// is half built (the alias still on the old one); after a restart the reindex runs
// again, the alias swaps to a new generation, the old one is gone, and every
// document equals the SQL truth (a change made while flusso was down included).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import { expectedDocs, waitFor, writeConfig } from './flusso-process.fixture.js';

const ROWS = 8_000;
const EVENTS = 'version: 1\ntable: events\nfields:\n  - integer: id\n  - keyword: kind\n  - text: payload\n';
const rig = useDemoRig(
  'CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, payload text NOT NULL);' +
    `INSERT INTO events SELECT g, 'k' || (g % 7), 'payload ' || g FROM generate_series(1, ${ROWS}) g`,
);
const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };

/** The physical generations the `events` alias points at. */
async function aliased(): Promise<string[]> {
  return Object.keys((await (await fetch(`${rig.emu.url}/_alias/events`)).json()) as Record<string, unknown>);
}

async function count(index: string): Promise<number> {
  await fetch(`${rig.emu.url}/${index}/_refresh`, { method: 'POST' });
  const body = (await (await fetch(`${rig.emu.url}/${index}/_count`)).json()) as { count?: number };
  return body.count ?? 0;
}

/** Every `events` document through the alias (a search returns at most 10 000). */
async function allEvents(): Promise<Record<string, unknown>> {
  await fetch(`${rig.emu.url}/events/_refresh`, { method: 'POST' });
  const res = await fetch(`${rig.emu.url}/events/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 10_000, query: { match_all: {} } }),
  });
  const body = (await res.json()) as { hits?: { hits: { _id: string; _source: unknown }[] } };
  return Object.fromEntries((body.hits?.hits ?? []).map((h) => [h._id, h._source]));
}

describe('a crashed reindex resumes', () => {
  it('completes the new generation and swaps the alias after a SIGKILL mid-reindex', async () => {
    const { config, dir } = writeConfig('', EVENTS, 'events');
    // Small bulk chunks, so a slowed sink keeps the reindex running long enough to be killed.
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'refresh_interval = "1s"\n',
        'refresh_interval = "1s"\nbatch_size = 100\n',
      ),
    );
    const truth = () =>
      expectedDocs(rig.db.url, join(dir, 'events.schema.yml'), { index: 'events', table: 'events' });
    const first = await rig.start(config);
    await waitFor(
      'live after the initial backfill',
      () => first.status(),
      (s) => s?.phase === 'live' && s.changes_in_flight === 0,
      120_000,
    );
    const [old] = await aliased();
    expect(old).toMatch(/_1$/);

    rig.emu.faults.delayMs = 100;
    const res = await fetch(`${first.privateUrl}/reindex?index=events`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    const staged = (old ?? '').replace(/_1$/, '_2');
    await waitFor(
      'the new generation half built',
      async () => (rig.emu.store.indexes.has(staged) ? await count(staged) : 0),
      (n) => n > 0,
      60_000,
    );
    // Killed while the alias still serves the old generation and the new one is incomplete.
    first.proc.kill('SIGKILL');
    await first.exited;
    rig.emu.faults.delayMs = 0;
    expect(await aliased()).toEqual([old]);
    expect(await count(staged)).toBeLessThan(ROWS);
    await rig.db.sql("UPDATE events SET payload = 'while down' WHERE id = 5");

    const second = await rig.start(config);
    const swapped = await waitFor(
      'the alias swapped to a new generation',
      aliased,
      (names) => names.length === 1 && names[0] !== old,
      120_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 300)}\nstderr: ${second.stderr().slice(-2000)}`);
    });
    await waitFor(
      'live with nothing in flight',
      () => second.status(),
      (s) =>
        s?.phase === 'live' &&
        s.changes_in_flight === 0 &&
        (s.indexes as Record<string, string>).events === 'seeded',
      60_000,
    );
    // Only the new generation is left, and it holds exactly the SQL truth.
    const generations = [...rig.emu.store.indexes.keys()].filter((n) => n.startsWith('events_'));
    expect(generations).toEqual(swapped);
    const docs = await allEvents();
    expect(Object.keys(docs)).toHaveLength(ROWS);
    expect(docs).toEqual(await truth());
    expect(docs['5']).toMatchObject({ payload: 'while down' });
  }, 300_000);
});
