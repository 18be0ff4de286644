// A row the walsender cannot send: a SQL_ASCII database holding bytes that are not
// UTF-8 (Postgres refuses to send them to a UTF-8 client, SQLSTATE 22021). The
// stream fails as `source_rejected` (it would fail again) with the SQLSTATE only:
// Postgres's message quotes the bytes.
import { FlussoError, parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCapture } from './capture-test-kit.fixture.js';

describe('a row the replication stream cannot send', () => {
  let db: TestDatabase;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`CREATE DATABASE ascii ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`);
    const u = new URL(db.url);
    u.pathname = '/ascii';
    url = u.toString();
  });
  afterAll(async () => db?.close());

  it('fails the stream as source_rejected with its SQLSTATE, never the bytes', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE notes (id int PRIMARY KEY, body text)');
      const { capture } = newCapture(url, 'notes');
      await capture.prepare([{ schema: parseSchemaName('public'), table: parseTableName('notes') }]);
      const stop = new AbortController();
      const ended = (async () => {
        for await (const _ of capture.changes(stop.signal)) {
          // no change can arrive before the failing one
        }
        return 'ended';
      })().catch((error: unknown) => error);
      await client.query("INSERT INTO notes VALUES (1, convert_from('\\x41ff42'::bytea, 'SQL_ASCII'))");
      const failure = await ended;
      stop.abort();
      await capture.close();
      expect(failure).toBeInstanceOf(FlussoError);
      expect(failure).toMatchObject({ code: 'source_rejected', context: { pg_code: '22021' } });
      expect((failure as Error).message).toBe(
        "replication stream failed: a row's value could not be sent (SQLSTATE 22021)",
      );
      expect((failure as Error).cause).toBeUndefined();
    } finally {
      await client.end();
    }
  });
});
