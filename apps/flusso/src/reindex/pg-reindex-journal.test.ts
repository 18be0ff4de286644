// The reindex journal in Postgres: requests are kept per slot until finished; a
// journal that cannot be written warns and lets the reindex run (unjournaled).
import { parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgReindexJournal } from './pg-reindex-journal.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const users = parseIndexName('users');
const orders = parseIndexName('orders');

describe('PgReindexJournal', () => {
  it('keeps requests per slot until finished, across journal instances', async () => {
    const a = new PgReindexJournal(new pg.Pool({ connectionString: db.url, max: 1 }), 'a');
    expect(await a.pending()).toEqual([]);
    await a.requested(users);
    await a.requested(orders);
    await a.requested(users);
    await a.close();
    const again = new PgReindexJournal(new pg.Pool({ connectionString: db.url, max: 1 }), 'a');
    const other = new PgReindexJournal(new pg.Pool({ connectionString: db.url, max: 1 }), 'b');
    expect([...(await again.pending())].sort()).toEqual([orders, users]);
    expect(await other.pending()).toEqual([]);
    await again.finished(users);
    expect(await again.pending()).toEqual([orders]);
    await again.close();
    await other.close();
  });

  it('warns instead of refusing when the journal cannot be written', async () => {
    const refused = async () => {
      throw new Error('permission denied for database');
    };
    const warnings: string[] = [];
    const journal = new PgReindexJournal(
      { query: refused, connect: refused, end: async () => undefined } as never,
      'a',
      { warn: (_fields, message) => warnings.push(message) },
    );
    await expect(journal.requested(users)).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('will not resume');
  });
});
