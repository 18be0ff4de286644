// A build query that fails on one row's data (bytes a SQL_ASCII database holds that
// are not UTF-8, a division by zero in a filter) fails as `invalid_value` naming the
// index and the SQLSTATE, never the value Postgres quotes in its message; a query
// the server refuses for any other reason keeps its own error.
import { type DocumentId, FlussoError, type IndexSchema, parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDocumentBuilder } from './pg-document-builder.js';

const people = parseIndexName('people');
const schema: IndexSchema = {
  version: 1,
  table: 'people',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    { kind: 'scalar', name: 'id', type: 'long', column: 'id', required: false, transforms: [] },
    { kind: 'scalar', name: 'name', type: 'text', column: 'name', required: false, transforms: [] },
  ],
};
const ids = (...xs: number[]) => xs.map(String) as DocumentId[];

describe('PgDocumentBuilder on a row whose data the document SQL cannot take', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let builder: PgDocumentBuilder;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`CREATE DATABASE ascii ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`);
    const url = new URL(db.url);
    url.pathname = '/ascii';
    pool = new pg.Pool({ connectionString: url.toString() });
    await pool.query('CREATE TABLE people (id bigint PRIMARY KEY, name text)');
    await pool.query("INSERT INTO people SELECT i, 'person ' || i FROM generate_series(1, 40) i");
    // 0xff is no UTF-8: Postgres refuses to send it to a UTF-8 client (22021).
    await pool.query("UPDATE people SET name = convert_from('\\x41ff42'::bytea, 'SQL_ASCII') WHERE id = 17");
    builder = new PgDocumentBuilder({ db: pool, named: pool, indexes: [{ name: people, schema }] });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('builds the rows around it', async () => {
    const built = await builder.build(people, ids(16, 18));
    expect(built.map((d) => (d.op === 'upsert' ? d.document.name : null))).toEqual([
      'person 16',
      'person 18',
    ]);
  });

  it('fails the batch holding it as invalid_value with index and SQLSTATE, and no value', async () => {
    const failure = await builder.build(people, ids(1, 17, 30)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FlussoError);
    expect(failure).toMatchObject({
      code: 'invalid_value',
      retryable: false,
      context: { index: 'people', pg_code: '22021', documents: 3 },
    });
    const text = `${(failure as Error).message} ${JSON.stringify(failure)} ${String((failure as Error).cause)}`;
    expect(text).toContain('SQLSTATE 22021');
    expect(text).not.toMatch(/0xff|A\uFFFDB/i);
  });

  it('keeps a refused statement its own error (not a data failure to split)', async () => {
    const broken = new PgDocumentBuilder({
      db: pool,
      indexes: [
        {
          name: people,
          schema: {
            ...schema,
            fields: [
              { kind: 'scalar', name: 'x', type: 'text', column: 'missing', required: false, transforms: [] },
            ],
          },
        },
      ],
    });
    const failure = await broken.build(people, ids(1)).catch((error: unknown) => error);
    expect(failure).not.toMatchObject({ code: 'invalid_value' });
    expect(failure).toMatchObject({ code: '42703' });
  });
});
