import { type IndexSchema, parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopSql, usersSchema } from '../builder/shop.fixture.js';
import { checkCatalog } from './check-catalog.js';

describe('checkCatalog', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(shopSql);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it('names a missing column, the replica identity a child needs, and publication gaps', async () => {
    await db.sql(
      'ALTER TABLE items DROP COLUMN qty; ALTER TABLE items REPLICA IDENTITY DEFAULT; CREATE PUBLICATION flusso FOR TABLE users',
    );
    const findings = await checkCatalog(
      client,
      [{ name: parseIndexName('users'), schema: usersSchema }],
      'flusso',
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        level: 'error',
        path: 'orders.items.qty',
        message: 'column public.items.qty does not exist',
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        path: 'public.items',
        fix: 'ALTER TABLE public.items REPLICA IDENTITY FULL;',
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        path: 'public.orders',
        fix: 'ALTER PUBLICATION "flusso" ADD TABLE public.orders;',
      }),
    );
    expect(findings.some((f) => f.path === 'public.users' && f.level === 'warning')).toBe(false);
  });

  it('warns when a column documents are looked up by has no index, until one exists', async () => {
    const users = [{ name: parseIndexName('users'), schema: usersSchema }];
    const before = await checkCatalog(client, users, 'flusso');
    expect(before).toContainEqual({
      level: 'warning',
      index: 'users',
      path: 'orders',
      message:
        'no index leads with public.orders.user_id: every build of users documents scans public.orders',
      fix: 'CREATE INDEX ON public.orders (user_id);',
    });
    // The junction's primary key (user_id, tag_id) already serves the lookup.
    expect(before.some((f) => f.message.includes('public.user_tags.user_id'))).toBe(false);
    expect(before.filter((f) => f.message.includes('public.orders.user_id'))).toHaveLength(1);
    await db.sql('CREATE INDEX ON orders (user_id)');
    const after = await checkCatalog(client, users, 'flusso');
    expect(after.some((f) => f.message.includes('public.orders.user_id'))).toBe(false);
  });
  it('explains case folding when a quoted mixed-case table or column is what the schema meant', async () => {
    await db.sql('CREATE TABLE "OrderNotes" (id int PRIMARY KEY, "Body" text)');
    const body = {
      kind: 'scalar',
      name: 'body',
      type: 'text',
      column: 'body',
      required: false,
      transforms: [],
    } as const;
    const { softDelete: _unused, ...plain } = usersSchema;
    const schema: IndexSchema = { ...plain, table: 'ordernotes', fields: [body] };
    const table = await checkCatalog(client, [{ name: parseIndexName('notes'), schema }], 'flusso');
    expect(table).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining(
          '"OrderNotes" does (created quoted, with upper-case letters): flusso folds',
        ),
        fix: expect.stringContaining('ALTER TABLE public."OrderNotes" RENAME TO ordernotes;'),
      }),
    );
    await db.sql('ALTER TABLE "OrderNotes" RENAME TO ordernotes');
    const column = await checkCatalog(client, [{ name: parseIndexName('notes'), schema }], 'flusso');
    expect(column).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('column public.ordernotes.body does not exist, but "Body" does'),
        fix: 'ALTER TABLE public.ordernotes RENAME COLUMN "Body" TO body;',
      }),
    );
  });
});
