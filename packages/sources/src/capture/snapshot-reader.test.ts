// Keyset paging before and after live sync: what another session can do to the
// table between pages (a TRUNCATE must not wait on a reindex's reader).

import { parseColumnName, parseSchemaName, parseTableName, type SnapshotScope } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSession } from './snapshot-reader.js';

/** The int4 key values of a page, as numbers. */
const ids = (keys: readonly (readonly unknown[])[] | undefined) =>
  (keys ?? []).map((k) => (k[0] as { value: number }).value);

const scope: SnapshotScope = {
  table: { schema: parseSchemaName('public'), table: parseTableName('items') },
  keyColumns: [parseColumnName('id')],
};

/** Runs `sql` on its own connection; the error code when it failed (lock_timeout is 55P03). */
async function tryOn(url: string, sql: string): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  } finally {
    await c.end();
  }
}

describe('SnapshotSession', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  async function seed(): Promise<void> {
    await tryOn(db.url, 'DROP TABLE IF EXISTS items; CREATE TABLE items (id int PRIMARY KEY)');
    await tryOn(db.url, 'INSERT INTO items SELECT generate_series(1, 5)');
  }

  it('unpinned: holds no lock between pages, so a TRUNCATE goes through and later pages see it', async () => {
    await seed();
    const session = await SnapshotSession.openUnpinned(db.url);
    try {
      const pages = session.keys(scope, 2)[Symbol.asyncIterator]();
      const first = await pages.next();
      expect(ids(first.value?.keys)).toEqual([1, 2]);
      expect(await tryOn(db.url, "SET lock_timeout = '2s'; TRUNCATE items")).toBeUndefined();
      expect((await pages.next()).done).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('pinned: pages share one snapshot (the TRUNCATE waits, as before live sync it should)', async () => {
    await seed();
    const session = await SnapshotSession.open(db.url, null);
    try {
      const pages = session.keys(scope, 2)[Symbol.asyncIterator]();
      expect(ids((await pages.next()).value?.keys)).toEqual([1, 2]);
      expect(await tryOn(db.url, "SET lock_timeout = '200ms'; TRUNCATE items")).toBe('55P03');
      const rest: number[] = [];
      for (;;) {
        const page = await pages.next();
        if (page.done) break;
        rest.push(...ids(page.value.keys));
      }
      expect(rest).toEqual([3, 4, 5]);
    } finally {
      await session.close();
    }
  });
  it('pinned: a database idle_in_transaction_session_timeout does not end the backfill between slow pages', async () => {
    await seed();
    const name = new URL(db.url).pathname.slice(1);
    await tryOn(db.url, `ALTER DATABASE "${name}" SET idle_in_transaction_session_timeout = '200ms'`);
    try {
      const session = await SnapshotSession.open(db.url, null);
      try {
        const seen: number[] = [];
        // A slow sink: each page is built and flushed before the next is read.
        for await (const page of session.keys(scope, 2)) {
          seen.push(...ids(page.keys));
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(seen).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await session.close();
      }
    } finally {
      await tryOn(db.url, `ALTER DATABASE "${name}" RESET idle_in_transaction_session_timeout`);
    }
  });
});
