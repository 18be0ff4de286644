// Issue 13, finding 1: a streamed (spilled) transaction held open across
// keepalives and status updates lost its first rows for good, because its
// changes reached the reader before the rows were visible to SQL.
import { parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCapture } from './capture-test-kit.fixture.js';
import { PgChangeCapture } from './pg-change-capture.js';
import { type MirrorRun, mirrorTable, sqlTruth } from './sql-mirror.fixture.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

/**
 * Long enough for several keepalives and status updates (wal_sender_timeout is 3 s, so a
 * keepalive every 1.5 s; shorter timeouts let a loaded CI machine's walsender time out).
 */
const HOLD_OPEN_MS = 4000;

async function openTxn(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  return client;
}

async function slotRestartLsnNotAfter(db: TestDatabase, slot: string, lsn: string): Promise<boolean> {
  const [row] = await db.sql<{ ok: boolean }>(
    'SELECT restart_lsn <= $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1',
    [slot, lsn],
  );
  return row?.ok === true;
}

describe.each(testedVersions())('a streamed transaction held open on Postgres %i', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({
      version,
      settings: { logical_decoding_work_mem: "'64kB'", wal_sender_timeout: "'3s'" },
    });
  });
  afterAll(async () => db?.close());

  it.each([
    ['without a restart', false],
    ['with the capture restarted while it is open', true],
  ])(
    'reaches the reader whole once committed (%s)',
    async (_title, restart) => {
      const name = restart ? 'open_txn_restart' : 'open_txn';
      await db.sql(`CREATE TABLE ${name} (id int PRIMARY KEY, n text)`);
      const first = newCapture(db.url, name);
      await first.capture.prepare([table(name)]);
      const mirror = new Map<number, string>();
      let run: MirrorRun = mirrorTable(first.capture, db, name, mirror);
      await db.sql(`INSERT INTO ${name} SELECT g, 'p' || g FROM generate_series(1, 200) g`);
      await run.waitFor(200);

      const [{ lsn: beforeTxn } = { lsn: '' }] = await db.sql<{ lsn: string }>(
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      const open = await openTxn(db.url);
      await open.query(`INSERT INTO ${name} SELECT g, 'n' || g FROM generate_series(1001, 4000) g`);
      await open.query(`UPDATE ${name} SET n = n || 'u' WHERE id % 3 = 0`);
      await open.query(`DELETE FROM ${name} WHERE id % 7 = 0`);
      await open.query('SAVEPOINT a');
      await open.query(`INSERT INTO ${name} SELECT g, 'x' || g FROM generate_series(5001, 7000) g`);
      await open.query(`UPDATE ${name} SET n = 'rolled back' WHERE id < 100`);
      await open.query('ROLLBACK TO SAVEPOINT a');
      await open.query(`INSERT INTO ${name} SELECT g, 'm' || g FROM generate_series(8001, 8100) g`);

      await db.sql(
        `INSERT INTO ${name} VALUES (9001, 'concurrent'); UPDATE ${name} SET n = 'c' WHERE id = 1`,
      );
      await run.waitFor(9001);
      await new Promise((r) => setTimeout(r, HOLD_OPEN_MS));

      if (restart) {
        await run.stop();
        expect(await slotRestartLsnNotAfter(db, first.name, beforeTxn)).toBe(true);
        const again = new PgChangeCapture({
          url: db.url,
          slot: first.name,
          publication: first.name,
          statusIntervalMs: 200,
        });
        expect((await again.prepare([table(name)])).resumed).toBe(true);
        run = mirrorTable(again, db, name, mirror);
      }
      await open.query(`INSERT INTO ${name} SELECT g, 'l' || g FROM generate_series(10001, 11000) g`);
      await open.query(`DELETE FROM ${name} WHERE id BETWEEN 2 AND 20`);
      await db.sql(`INSERT INTO ${name} VALUES (9002, 'concurrent')`);
      await run.waitFor(9002);
      await new Promise((r) => setTimeout(r, HOLD_OPEN_MS));
      await open.query('COMMIT');
      await open.end();

      await db.sql(`INSERT INTO ${name} VALUES (-1, 'sentinel')`);
      await run.waitFor(-1);
      await run.stop();
      const truth = await sqlTruth(db, name);
      const missing = [...truth.keys()].filter((id) => mirror.get(id) !== truth.get(id));
      const stale = [...mirror.keys()].filter((id) => !truth.has(id));
      expect({ missing: missing.length, stale: stale.length }).toEqual({ missing: 0, stale: 0 });
      expect(mirror.size).toBe(truth.size);
    },
    90_000,
  );
});
