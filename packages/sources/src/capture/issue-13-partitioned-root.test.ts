// Issue 13, finding 2: a partitioned table as a root. Its changes must arrive
// under its own name (published via the root), whichever partition they touch,
// across partition moves, attach and detach, and from a publication an older
// flusso created with the partitions published separately.
import { parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCapture } from './capture-test-kit.fixture.js';
import { PgChangeCapture } from './pg-change-capture.js';
import { mirrorTable, sqlTruth } from './sql-mirror.fixture.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

async function partitioned(db: TestDatabase, name: string): Promise<void> {
  await db.sql(`
    CREATE TABLE ${name} (id int PRIMARY KEY, n text) PARTITION BY RANGE (id);
    CREATE TABLE ${name}_low PARTITION OF ${name} FOR VALUES FROM (0) TO (100);
    CREATE TABLE ${name}_high PARTITION OF ${name} FOR VALUES FROM (100) TO (200);`);
}

async function expectMirrorIsTruth(db: TestDatabase, name: string, mirror: Map<number, string>) {
  expect(Object.fromEntries(mirror)).toEqual(Object.fromEntries(await sqlTruth(db, name)));
}

describe.each(testedVersions())('a partitioned root on Postgres %i', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ version, settings: { wal_sender_timeout: "'2s'" } });
  });
  afterAll(async () => db?.close());

  it('delivers inserts, updates, deletes and partition moves under the root, and rebuilds on attach and detach', async () => {
    await partitioned(db, 'part');
    const { capture, name } = newCapture(db.url, 'part');
    await capture.prepare([table('part')]);
    const [pub] = await db.sql<{ pubviaroot: boolean }>(
      'SELECT pubviaroot FROM pg_publication WHERE pubname = $1',
      [name],
    );
    expect(pub?.pubviaroot).toBe(true);
    const mirror = new Map<number, string>();
    const run = mirrorTable(capture, db, 'part', mirror);
    await db.sql("INSERT INTO part SELECT g, 'n' || g FROM generate_series(1, 155) g");
    await db.sql("UPDATE part SET n = 'u' WHERE id IN (5, 150); DELETE FROM part WHERE id IN (6, 151)");
    await db.sql("UPDATE part SET id = 160, n = 'moved' WHERE id = 7");
    await db.sql("INSERT INTO part VALUES (0, 'sentinel')");
    await run.waitFor(0);
    await expectMirrorIsTruth(db, 'part', mirror);

    await db.sql(`CREATE TABLE part_mid (id int PRIMARY KEY, n text);
      INSERT INTO part_mid SELECT g, 'mid' || g FROM generate_series(200, 210) g;
      ALTER TABLE part ATTACH PARTITION part_mid FOR VALUES FROM (200) TO (300)`);
    await run.waitFor(205);
    await db.sql('ALTER TABLE part DETACH PARTITION part_low');
    await run.waitUntil((m) => !m.has(1));
    await run.stop();
    await expectMirrorIsTruth(db, 'part', mirror);
  }, 60_000);

  it('migrates a publication that published the partitions separately, and resolves their changes to the root', async () => {
    await partitioned(db, 'legacy');
    await db.sql('CREATE PUBLICATION legacy_pub FOR TABLE legacy');
    await db.sql("SELECT pg_create_logical_replication_slot('legacy_slot', 'pgoutput')");
    await db.sql("INSERT INTO legacy SELECT g, 'n' || g FROM generate_series(1, 150) g");
    const options = { url: db.url, slot: 'legacy_slot', publication: 'legacy_pub', statusIntervalMs: 200 };
    for (let start = 0; start < 2; start++) {
      const capture = new PgChangeCapture(options);
      expect((await capture.prepare([table('legacy')])).resumed).toBe(true);
      await capture.close();
    }
    const [pub] = await db.sql<{ pubviaroot: boolean }>(
      "SELECT pubviaroot FROM pg_publication WHERE pubname = 'legacy_pub'",
    );
    expect(pub?.pubviaroot).toBe(true);
    const capture = new PgChangeCapture(options);
    await capture.prepare([table('legacy')]);
    const mirror = new Map<number, string>();
    const run = mirrorTable(capture, db, 'legacy', mirror);
    await db.sql("UPDATE legacy SET id = 170 WHERE id = 20; INSERT INTO legacy VALUES (0, 'sentinel')");
    await run.waitFor(0);
    await run.stop();
    await expectMirrorIsTruth(db, 'legacy', mirror);
  }, 60_000);
});
