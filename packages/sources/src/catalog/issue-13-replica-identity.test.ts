// Issue 13, finding 3: a published table without a replica identity makes the
// application's own UPDATE and DELETE fail. flusso refuses such a table in
// `check` and before publishing anything in `run` (capture prepare).
import { FlussoError, parseIndexName, parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSql, usersSchema } from '../builder/shop.fixture.js';
import { PgChangeCapture } from '../capture/pg-change-capture.js';
import { checkCatalog } from './check-catalog.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

describe.each(testedVersions())('tables without a replica identity on Postgres %i', (version) => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(shopSql);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('flusso check fails naming each table and the SQL that gives it a replica identity', async () => {
    await db.sql(`
      ALTER TABLE teams DROP CONSTRAINT teams_pkey;
      ALTER TABLE user_tags REPLICA IDENTITY DEFAULT; ALTER TABLE user_tags DROP CONSTRAINT user_tags_pkey;
      CREATE UNIQUE INDEX user_tags_pair ON user_tags (user_id, tag_id)`);
    const findings = await checkCatalog(
      client,
      [{ name: parseIndexName('users'), schema: usersSchema }],
      'flusso',
    );
    const errors = findings.filter((f) => f.level === 'error' && f.message.includes('no replica identity'));
    expect(errors.map((f) => [f.path, f.fix])).toEqual([
      ['public.teams', 'ALTER TABLE public.teams ADD PRIMARY KEY (<key columns>);'],
      ['public.user_tags', 'ALTER TABLE public.user_tags REPLICA IDENTITY USING INDEX user_tags_pair;'],
    ]);
    await db.sql(
      'ALTER TABLE teams ADD PRIMARY KEY (id); ALTER TABLE user_tags REPLICA IDENTITY USING INDEX user_tags_pair',
    );
    const fixed = await checkCatalog(
      client,
      [{ name: parseIndexName('users'), schema: usersSchema }],
      'flusso',
    );
    expect(fixed.filter((f) => f.message.includes('no replica identity'))).toEqual([]);
  });

  it('flusso run publishes nothing and the application keeps writing when a table has no replica identity', async () => {
    await db.sql(`
      CREATE TABLE keyed (id int PRIMARY KEY); CREATE TABLE nopk (id int, n text);
      INSERT INTO nopk VALUES (1, 'a');
      CREATE TABLE part (id int NOT NULL, n text) PARTITION BY RANGE (id);
      CREATE TABLE part_low PARTITION OF part FOR VALUES FROM (0) TO (100);
      CREATE TABLE part_high PARTITION OF part FOR VALUES FROM (100) TO (200);
      ALTER TABLE part_low ADD PRIMARY KEY (id);`);
    const capture = new PgChangeCapture({ url: db.url, slot: 'ri_slot', publication: 'ri_pub' });
    const refused = await capture
      .prepare([table('keyed'), table('nopk'), table('part')])
      .catch((e: unknown) => e);
    await capture.close();
    expect(refused).toBeInstanceOf(FlussoError);
    expect((refused as FlussoError).code).toBe('source_rejected');
    expect((refused as FlussoError).retryable).toBe(false);
    const message = (refused as FlussoError).message;
    expect(message).toContain('public.nopk has no primary key and no replica identity');
    expect(message).toContain('ALTER TABLE public.nopk ADD PRIMARY KEY');
    expect(message).toContain('public.part_high (a partition of public.part)');
    expect(message).not.toContain('public.part_low');
    expect(await db.sql("SELECT 1 FROM pg_publication WHERE pubname = 'ri_pub'")).toEqual([]);
    expect(await db.sql("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'ri_slot'")).toEqual([]);
    await db.sql(`UPDATE nopk SET n = 'b' WHERE id = 1; DELETE FROM nopk WHERE id = 1`);
  });
});
