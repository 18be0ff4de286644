import { parseIndexName } from '@flusso/core';
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
});
