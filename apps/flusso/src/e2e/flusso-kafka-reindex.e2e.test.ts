// Reindex in Kafka mode through the built binaries (capture + worker processes over
// real Postgres, the Kafka double and the emulator): `POST /reindex?index=events`
// builds a new generation beside the live stream; changes to `events` and to
// `users` made while it is half built are read through the aliases before the
// swap, and reach the new generation; after the swap every document equals the SQL
// and later changes still flow. A reindex asked of a worker is run by the capture,
// and a capture SIGKILLed mid-reindex resumes it from the journal after a restart;
// with both roles in one process, a SIGTERM mid-reindex exits 0 and the next run
// finishes the reindex. A TRUNCATE mid-reindex (its own rebuild stages and swaps a
// generation while the reindex's is half built) leaves one generation equal to the SQL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  demoDir,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const ROWS = 6_000;
const EVENTS = 'version: 1\ntable: events\nfields:\n  - integer: id\n  - keyword: kind\n  - text: payload\n';
const rig = useDemoRig(
  'CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, payload text NOT NULL);' +
    `INSERT INTO events SELECT g, 'k' || (g % 7), 'payload ' || g FROM generate_series(1, ${ROWS}) g`,
);
const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
let broker: KafkaDouble;
let config: string;
let dir: string;
beforeAll(async () => {
  broker = await startKafkaDouble();
  ({ config, dir } = writeConfig('', EVENTS, 'events'));
  writeFileSync(join(dir, 'users.schema.yml'), readFileSync(join(demoDir, 'users.schema.yml'), 'utf8'));
  // Small bulk chunks: with a slowed emulator the reindex runs long enough to act during it.
  writeFileSync(
    config,
    `${readFileSync(config, 'utf8').replace('refresh_interval = "1s"\n', 'refresh_interval = "1s"\nbatch_size = 200\n')}` +
      '\n[[index]]\nname = "users"\nschema = "users.schema.yml"\nenabled = true\n' +
      `\n[pipeline]\nmode = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "reindex"\npartitions = 3\ngroup = "reindex"\nsession_timeout_secs = 6\n`,
  );
});
afterAll(async () => {
  await broker?.close();
});

/** The physical generations the `events` alias points at. */
async function aliased(): Promise<string[]> {
  return Object.keys((await (await fetch(`${rig.emu.url}/_alias/events`)).json()) as Record<string, unknown>);
}

async function getDoc(alias: string, id: number): Promise<Record<string, unknown> | null> {
  const body = (await (await fetch(`${rig.emu.url}/${alias}/_doc/${id}`)).json()) as {
    found?: boolean;
    _source?: Record<string, unknown>;
  };
  return body.found ? (body._source ?? null) : null;
}

const eventsTruth = () =>
  expectedDocs(rig.db.url, join(dir, 'events.schema.yml'), { index: 'events', table: 'events' });

async function converged(what: string, log: () => string): Promise<void> {
  const [events, users] = [
    await eventsTruth(),
    await expectedDocs(rig.db.url, join(dir, 'users.schema.yml')),
  ];
  await waitFor(
    what,
    async () => [await indexDocs(rig.emu.url, 'events'), await indexDocs(rig.emu.url, 'users')] as const,
    ([e, u]) => isDeepStrictEqual(e, events) && isDeepStrictEqual(u, users),
    120_000,
  ).catch((error) => {
    throw new Error(`${String(error).slice(0, 200)}\n${log()}`);
  });
}

const generations = () => [...rig.emu.store.indexes.keys()].filter((n) => n.startsWith('events_')).sort();

async function reindex(f: RunningFlusso): Promise<number> {
  return (await fetch(`${f.privateUrl}/reindex?index=events`, { method: 'POST', headers: auth })).status;
}

/** Slows the emulator, asks `f` for a reindex of `events`, and waits until its new generation has documents. */
async function reindexHalfBuilt(f: RunningFlusso, old: string | undefined): Promise<string> {
  rig.emu.faults.delayMs = 60;
  expect(await reindex(f)).toBe(202);
  const staged = (old ?? '').replace(/_(\d+)$/, (_, g: string) => `_${Number(g) + 1}`);
  await waitFor(
    'the new generation half built',
    async () => rig.emu.store.indexes.get(staged)?.docs.size ?? 0,
    (n) => n > 0,
    60_000,
  );
  return staged;
}

const waitLive = (what: string, f: RunningFlusso) =>
  waitFor(
    what,
    () => f.status(),
    (s) => s?.phase === 'live',
    60_000,
  );

describe('reindex in Kafka mode', () => {
  it('builds the new generation beside the live stream, with live changes in it, and swaps', async () => {
    const capture = await rig.start(config, ['--role', 'capture']);
    const worker = await rig.start(config, ['--role', 'worker']);
    const logs = () => `capture: ${capture.stderr().slice(-1500)}\nworker: ${worker.stderr().slice(-1500)}`;
    await converged('the backfill', logs);
    const [old] = await aliased();

    const staged = await reindexHalfBuilt(capture, old);
    // Live changes on the reindexed index (a row its backfill already read, one it has not
    // reached yet) and on another index.
    await rig.db.sql(`UPDATE events SET payload = 'during the reindex' WHERE id IN (1, ${ROWS})`);
    await rig.db.sql("UPDATE users SET full_name = 'Live During Reindex' WHERE id = 3");
    await waitFor(
      'both live changes read through the aliases',
      async () =>
        [await getDoc('events', 1), await getDoc('events', ROWS), await getDoc('users', 3)] as const,
      ([a, b, u]) =>
        a?.payload === 'during the reindex' &&
        b?.payload === 'during the reindex' &&
        u?.fullName === 'Live During Reindex',
      30_000,
    );
    // Read while the reindex was still running: the alias had not moved yet.
    expect(await aliased()).toEqual([old]);
    expect(rig.emu.store.indexes.get(staged)?.docs.size ?? 0).toBeLessThan(ROWS);
    const status = await capture.status();
    expect(status).toMatchObject({
      phase: 'backfilling',
      indexes: { events: 'backfilling', users: 'seeded' },
    });

    await waitFor('the alias swapped', aliased, (a) => a.length === 1 && a[0] === staged, 120_000);
    rig.emu.faults.delayMs = 0;
    await converged('every document equal to the SQL after the swap', logs);
    const after = await indexDocs(rig.emu.url, 'events');
    expect(after['1']).toMatchObject({ payload: 'during the reindex' });
    expect(after[String(ROWS)]).toMatchObject({ payload: 'during the reindex' });
    // The old generation is dropped just after the alias moves.
    await waitFor(
      'the old generation dropped',
      async () => generations(),
      (g) => isDeepStrictEqual(g, [staged]),
      30_000,
    ).catch((error) => {
      throw new Error(`${String(error)}\n${logs()}`);
    });
    await waitFor(
      'the capture live again',
      () => capture.status(),
      (s) => s?.phase === 'live' && (s.indexes as Record<string, string>).events === 'seeded',
    );

    // Workers write into the swapped-in generation.
    await rig.db.sql("UPDATE events SET payload = 'after the swap' WHERE id = 2");
    await rig.db.sql("INSERT INTO events VALUES (9001, 'k1', 'inserted after the swap')");
    await waitFor(
      'changes after the swap',
      async () => [await getDoc('events', 2), await getDoc('events', 9001)] as const,
      ([a, b]) => a?.payload === 'after the swap' && b?.payload === 'inserted after the swap',
      30_000,
    );
    expect(generations()).toEqual([staged]);
  }, 300_000);

  it('runs a reindex asked of a worker, and resumes it after the capture is SIGKILLed mid-way', async () => {
    const capture = await rig.start(config, ['--role', 'capture']);
    const worker = await rig.start(config, ['--role', 'worker']);
    await waitLive('the capture live', capture);
    // The worker's surfaces are bound once it reports live.
    await waitLive('the worker live', worker);
    const [old] = await aliased();
    await reindexHalfBuilt(worker, old);
    capture.proc.kill('SIGKILL');
    await capture.exited;
    rig.emu.faults.delayMs = 0;
    expect(await aliased()).toEqual([old]);
    // Changes while the capture is down; the worker keeps its partitions.
    await rig.db.sql("UPDATE events SET payload = 'while the capture was down' WHERE id = 5");
    await rig.db.sql('DELETE FROM events WHERE id = 6');

    const again = await rig.start(config, ['--role', 'capture']);
    const logs = () => `capture: ${again.stderr().slice(-1500)}\nworker: ${worker.stderr().slice(-1500)}`;
    await waitFor(
      'the alias swapped to a newer generation',
      aliased,
      (a) => a.length === 1 && a[0] !== old,
      120_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 300)}\n${logs()}`);
    });
    await converged('every document equal to the SQL after the resumed reindex', logs);
    const docs = await indexDocs(rig.emu.url, 'events');
    expect(docs['5']).toMatchObject({ payload: 'while the capture was down' });
    expect(docs['6']).toBeUndefined();
    expect(generations()).toEqual(await aliased());
    // Nothing is left in the journal: a later restart does not reindex again.
    expect(await rig.db.sql('SELECT count(*)::int AS n FROM flusso.reindex_requests')).toEqual([{ n: 0 }]);
  }, 300_000);

  it('with both roles in one process: SIGTERM mid-reindex exits 0, and the next run finishes it', async () => {
    const first = await rig.start(config);
    await waitLive('live', first);
    const [old] = await aliased();
    await reindexHalfBuilt(first, old);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    rig.emu.faults.delayMs = 0;
    expect(await aliased()).toEqual([old]);
    await rig.db.sql("UPDATE events SET payload = 'between the runs' WHERE id = 8");

    const second = await rig.start(config);
    const logs = () => `flusso: ${second.stderr().slice(-2000)}`;
    await waitFor('the alias swapped', aliased, (a) => a.length === 1 && a[0] !== old, 120_000);
    await converged('every document equal to the SQL', logs);
    expect((await indexDocs(rig.emu.url, 'events'))['8']).toMatchObject({ payload: 'between the runs' });
    await waitFor(
      'live, with both roles running',
      () => second.status(),
      (s) =>
        s?.phase === 'live' &&
        (s.indexes as Record<string, string>).events === 'seeded' &&
        isDeepStrictEqual(
          Object.values((s.roles as Record<string, { state: string }>) ?? {}).map((r) => r.state),
          ['running', 'running'],
        ),
    );
  }, 300_000);

  it('a TRUNCATE mid-reindex: the index ends equal to the SQL, one generation, changes still flowing', async () => {
    const capture = await rig.start(config, ['--role', 'capture']);
    const worker = await rig.start(config, ['--role', 'worker']);
    const logs = () => `capture: ${capture.stderr().slice(-2000)}\nworker: ${worker.stderr().slice(-1500)}`;
    await waitLive('the capture live', capture);
    const [old] = await aliased();
    await reindexHalfBuilt(capture, old);
    await rig.db.sql('TRUNCATE events');
    await rig.db.sql(
      "INSERT INTO events VALUES (1, 'k1', 'after the truncate'), (7, 'k0', 'after the truncate')",
    );
    rig.emu.faults.delayMs = 0;
    await converged('every document equal to the SQL after the TRUNCATE', logs);
    expect(Object.keys(await indexDocs(rig.emu.url, 'events')).sort()).toEqual(['1', '7']);
    await waitFor(
      'the capture live with events seeded',
      () => capture.status(),
      (s) => s?.phase === 'live' && (s.indexes as Record<string, string>).events === 'seeded',
      120_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 300)}\n${logs()}`);
    });
    expect(generations()).toEqual(await aliased());
    expect(await aliased()).not.toEqual([old]);
    // The reindex runs on past the TRUNCATE's rebuild (its later pages are read from the
    // truncated table) and finishes: nothing is left in the journal to resume.
    await waitFor(
      'the reindex finished',
      () => rig.db.sql('SELECT count(*)::int AS n FROM flusso.reindex_requests'),
      (rows) => isDeepStrictEqual(rows, [{ n: 0 }]),
      120_000,
    );
    await converged('every document still equal to the SQL after the reindex finished', logs);
    await rig.db.sql("INSERT INTO events VALUES (9002, 'k2', 'after it all')");
    await waitFor(
      'a change after the TRUNCATE and the reindex',
      async () => getDoc('events', 9002),
      (d) => d?.payload === 'after it all',
      30_000,
    );
    expect(generations()).toEqual(await aliased());
  }, 300_000);
});
