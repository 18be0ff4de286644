// A build version must rise across every commit a later snapshot can see, even
// one Postgres has not yet written out (synchronous_commit = off): otherwise two
// builds on either side of it tie, and the older one, flushed last, wins.
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBuildVersion } from './build-version.js';

describe('readBuildVersion', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql('CREATE TABLE t (id int PRIMARY KEY, n int)');
    await db.sql('INSERT INTO t VALUES (1, 0)');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('SET synchronous_commit = off');
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('is strictly higher after a visible commit that is not yet written to disk', async () => {
    for (let i = 1; i <= 20; i++) {
      const before = await readBuildVersion(client);
      await client.query('UPDATE t SET n = $1 WHERE id = 1', [i]);
      const after = await readBuildVersion(client);
      expect(after > before).toBe(true);
    }
  });
});
