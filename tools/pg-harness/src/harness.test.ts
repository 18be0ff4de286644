import { describe, expect, it } from 'vitest';
import { testedVersions } from './binaries.js';
import { createTestDatabase } from './database.js';

describe.each(testedVersions())('Postgres %i harness', (version) => {
  it('starts a logical-replication-ready cluster and removes it on close', async () => {
    const db = await createTestDatabase({ version });
    try {
      expect(db.version).toBe(version);
      const [row] = await db.sql<{ wal_level: string }>('SHOW wal_level');
      expect(row?.wal_level).toBe('logical');
      await db.sql('CREATE TABLE t (id int primary key); INSERT INTO t VALUES (1), (2)');
      const rows = await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM t');
      expect(rows[0]?.n).toBe(2);
    } finally {
      await db.close();
    }
  });
});

// An external server (DATABASE_URL) is not the harness's to restart.
describe.skipIf(process.env.DATABASE_URL !== undefined)('restart', () => {
  it('stops and starts the same cluster, keeping its data; sql() reconnects', async () => {
    const db = await createTestDatabase();
    try {
      await db.sql('CREATE TABLE kept (id int primary key); INSERT INTO kept VALUES (7)');
      await db.cluster?.restart({ downMs: 100 });
      const rows = await db.sql<{ id: number }>('SELECT id FROM kept');
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await db.close();
    }
  });
});

describe('tested versions', () => {
  it('cover PG 15 and PG 18 on this machine', () => {
    expect(testedVersions({})).toEqual(expect.arrayContaining([15, 18]));
  });
});
