// Issue 13 through the built binary: a partitioned root with a partitioned child
// join, synced live across a SIGKILL and cross-partition moves, and a streamed
// transaction held open across keepalives; every document compared with the SQL.
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const SCHEMA = `version: 1
table: events
primary_key: id
fields:
  - integer: id
    required: true
  - keyword: kind
    required: false
  - has_many: notes
    table: notes
    foreign_key: event_id
    primary_key: id
    order_by:
      - { column: id, direction: asc }
    fields:
      - integer: id
        required: true
      - text: body
        required: false
`;

const SEED = `
CREATE TABLE events (id int PRIMARY KEY, kind text) PARTITION BY RANGE (id);
CREATE TABLE events_a PARTITION OF events FOR VALUES FROM (0) TO (1000);
CREATE TABLE events_b PARTITION OF events FOR VALUES FROM (1000) TO (100000);
CREATE TABLE notes (id int PRIMARY KEY, event_id int NOT NULL, body text) PARTITION BY RANGE (id);
CREATE TABLE notes_a PARTITION OF notes FOR VALUES FROM (0) TO (5000);
CREATE TABLE notes_b PARTITION OF notes FOR VALUES FROM (5000) TO (1000000);
CREATE INDEX ON notes (event_id);
ALTER TABLE notes_a REPLICA IDENTITY FULL; ALTER TABLE notes_b REPLICA IDENTITY FULL;
INSERT INTO events SELECT g, 'k' || (g % 5) FROM generate_series(1, 300) g;
INSERT INTO notes SELECT g, 1 + g % 300, 'note ' || g FROM generate_series(1, 600) g;
`;

/** Writes across both partitions of both tables, with moves between partitions. */
async function churn(db: TestDatabase, round: number): Promise<void> {
  const e = 1 + ((round * 7) % 300);
  await db.sql(`UPDATE events SET kind = 'r${round}' WHERE id = ${e}`);
  await db.sql(
    `UPDATE notes SET body = 'b${round}', event_id = ${1 + ((e * 3) % 300)} WHERE id = ${1 + (round % 600)}`,
  );
  await db.sql(`UPDATE notes SET id = id + 5000 WHERE id = ${1 + ((round * 11) % 600)}`);
  await db.sql(`INSERT INTO notes VALUES (${100_000 + round}, ${e}, 'new') ON CONFLICT DO NOTHING`);
  await db.sql(`DELETE FROM notes WHERE id = ${1 + ((round * 13) % 600)}`);
  if (round % 5 === 0) await db.sql(`UPDATE events SET id = id + 1000 WHERE id = ${e} AND id < 1000`);
}

describe.each(testedVersions())(
  'flusso on Postgres %i: partitioned tables and open streamed transactions',
  (version) => {
    let db: TestDatabase;
    let emu: Emulator;
    let running: RunningFlusso[] = [];
    let schemaFile = '';
    let config = '';

    beforeAll(async () => {
      db = await createTestDatabase({
        version,
        settings: { logical_decoding_work_mem: "'64kB'", wal_sender_timeout: "'2s'" },
      });
      await db.sql(SEED);
      emu = await startEmulator();
      const written = writeConfig('', SCHEMA, 'events');
      config = written.config;
      schemaFile = join(written.dir, 'events.schema.yml');
    });
    afterAll(async () => {
      await emu?.close();
      await db?.close();
    });
    afterEach(async () => {
      for (const r of running) r.proc.kill('SIGKILL');
      await Promise.all(running.map((r) => r.exited));
      running = [];
    });

    async function startLive(): Promise<RunningFlusso> {
      const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
      running.push(f);
      await waitFor(
        'live',
        () => f.status(),
        (s) => s?.phase === 'live' && s.changes_in_flight === 0,
        60_000,
      );
      return f;
    }

    async function indexEqualsSql(what: string): Promise<number> {
      const expected = await expectedDocs(db.url, schemaFile, { index: 'events', table: 'events' });
      const docs = await waitFor(
        what,
        () => indexDocs(emu.url, 'events'),
        (d) => JSON.stringify(d) === JSON.stringify(expected),
        60_000,
      ).catch(async () => indexDocs(emu.url, 'events'));
      expect(docs).toEqual(expected);
      return Object.keys(expected).length;
    }

    it('keeps a partitioned root and its partitioned child equal to the SQL across a SIGKILL and partition moves', async () => {
      const first = await startLive();
      expect(await indexEqualsSql('backfill of the partitioned root')).toBe(300);
      for (let round = 1; round <= 40; round++) await churn(db, round);
      first.proc.kill('SIGKILL');
      await first.exited;
      for (let round = 41; round <= 60; round++) await churn(db, round);
      const second = await startLive();
      for (let round = 61; round <= 80; round++) await churn(db, round);
      const [moved] = await db.sql<{ n: string }>('SELECT count(*)::text AS n FROM events_b WHERE id < 2000');
      expect(Number(moved?.n)).toBeGreaterThan(0);
      await indexEqualsSql('index equals SQL after the SIGKILL');
      expect(second.stderr()).not.toContain('already member of publication');
      expect((await second.status())?.errors).toBe(0);
    }, 180_000);

    it('delivers every row of a streamed transaction held open across keepalives', async () => {
      const f = await startLive();
      const open = new pg.Client({ connectionString: db.url });
      await open.connect();
      await open.query('BEGIN');
      await open.query("INSERT INTO events SELECT g, 'bulk' FROM generate_series(2001, 9000) g");
      await open.query("UPDATE events SET kind = 'bulk-u' WHERE id BETWEEN 2001 AND 2500");
      await db.sql("UPDATE events SET kind = 'concurrent' WHERE id = 2");
      // Held open across several keepalives and status updates (wal_sender_timeout is 2 s).
      await new Promise((r) => setTimeout(r, 4000));
      await open.query('COMMIT');
      await open.end();
      const compared = await indexEqualsSql('index equals SQL after the streamed transaction');
      expect(compared).toBeGreaterThan(7000);
      expect((await f.status())?.errors).toBe(0);
    }, 180_000);
  },
);
