import type { ChangeEvent } from '@flusso/core';
import { type DocumentId, parseIndexName, parseSchemaName, parseTableName, RawNumber } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaHash } from './index-mapping.js';
import { PgDocumentBuilder } from './pg-document-builder.js';
import { shopSql, usersSchema } from './shop.fixture.js';

const users = parseIndexName('users');
const t = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });
const int = (v: number) => ({ kind: 'int4' as const, value: v });
const ids = (...xs: string[]) => xs as DocumentId[];

describe('PgDocumentBuilder', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let queries = 0;
  let builder: PgDocumentBuilder;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(shopSql);
    pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC' });
    const counted = {
      query: (text: string, params?: unknown[]) => {
        queries += 1;
        return pool.query(text, params);
      },
    };
    builder = new PgDocumentBuilder({ db: counted, indexes: [{ name: users, schema: usersSchema }] });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('builds a document with every field kind, joins three levels deep and aggregates', async () => {
    const [ada] = await builder.build(users, ids('1'));
    expect(ada).toEqual({
      op: 'upsert',
      index: 'users',
      id: '1',
      document: {
        id: 1,
        email: 'ada@example.com',
        name: 'Ada',
        born: '1990-12-10',
        joined: '2024-01-02T03:04:05+00:00',
        score: new RawNumber('12.50'),
        avatar: 'AQI=',
        location: { lat: 45.5, lon: 9.2 },
        prefs: { theme: 'dark' },
        source: 'shop',
        meta: { team_id: 1 },
        team: { name: 'core' },
        orders: [
          { id: 12, status: 'delivered', total: 7.25, items: [{ sku: 'C-3', qty: 4 }] },
          {
            id: 10,
            status: 'paid',
            total: new RawNumber('30.00'),
            items: [
              { sku: 'A-1', qty: 2 },
              { sku: 'B-2', qty: 1 },
            ],
          },
        ],
        tags: [{ label: 'beta' }, { label: 'vip' }],
        orderCount: 3,
        paidTotal: 37.25,
        biggest: new RawNumber('30.00'),
        avgTotal: new RawNumber('14.0833333333333333'),
        orderIds: [10, 11, 12],
      },
    });
  });

  it('applies defaults, keeps big ids exact, and turns soft-deleted and missing rows into deletes', async () => {
    const built = await builder.build(users, ids('2', '3', '9007199254740993', '404'));
    expect(built.map((d) => d.op)).toEqual(['upsert', 'delete', 'upsert', 'delete']);
    const bob = built[0];
    expect(bob?.op === 'upsert' && bob.document).toMatchObject({
      name: 'anonymous',
      location: null,
      team: { name: 'edge' },
      orders: [{ id: 20, items: [{ sku: 'Z-9', qty: 1 }] }],
    });
    const big = built[2];
    expect(big?.op === 'upsert' && big.document.id).toEqual(new RawNumber('9007199254740993'));
    expect(big?.op === 'upsert' && big.document).toMatchObject({
      team: null,
      orders: [],
      tags: [],
      orderCount: 0,
      paidTotal: null,
      orderIds: [],
    });
  });

  it('builds a chunk of documents with one query', async () => {
    const before = queries;
    await builder.build(users, ids('1', '2', '3', '9007199254740993'));
    expect(queries - before).toBe(1);
  });

  it('builds the same documents through a named statement, prepared once per connection', async () => {
    const all = ids('1', '2', '3', '4', '999');
    const plain = await builder.build(users, all);
    const client = await pool.connect();
    try {
      const named = new PgDocumentBuilder({
        db: client,
        named: client,
        chunkSize: 2,
        indexes: [{ name: users, schema: usersSchema }],
      });
      // Three chunks on one connection: prepared by the first, reused by the others, and again
      // by a second build.
      expect(await named.build(users, all)).toEqual(plain);
      expect(await named.build(users, all)).toEqual(plain);
      const prepared = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'flusso_build_%'",
      );
      expect(prepared.rows[0]?.n).toBe(1);
    } finally {
      client.release();
    }
  });

  it('resolves changes at every level to exactly the affected roots, old and new parents included', async () => {
    const resolve = async (...events: ChangeEvent[]) =>
      [...((await builder.resolve(events)).documents.get(users) ?? [])].sort();
    const upsert = (
      table: string,
      key: number,
      row: Record<string, ReturnType<typeof int> | { kind: 'int8'; value: bigint }>,
      oldRow?: typeof row,
    ): ChangeEvent => ({
      kind: 'upsert',
      table: t(table),
      keyColumns: ['id' as never],
      key: [int(key)],
      row,
      ...(oldRow ? { oldRow } : {}),
    });
    expect(await resolve(upsert('users', 2, {}))).toEqual(['2']);
    expect(
      await resolve(upsert('orders', 20, { id: int(20), user_id: { kind: 'int8', value: 2n } })),
    ).toEqual(['2']);
    // Re-parent: order 20 moves from user 2 to user 1: both rebuilt.
    expect(
      await resolve(
        upsert(
          'orders',
          20,
          { id: int(20), user_id: { kind: 'int8', value: 1n } },
          { id: int(20), user_id: { kind: 'int8', value: 2n } },
        ),
      ),
    ).toEqual(['1', '2']);
    // Third level: an item of order 12 (user 1), and a deleted item of order 20 (user 2).
    expect(await resolve(upsert('items', 102, { id: int(102), order_id: int(12) }))).toEqual(['1']);
    expect(
      await resolve({
        kind: 'delete',
        table: t('items'),
        keyColumns: ['id' as never],
        key: [int(200)],
        oldRow: { id: int(200), order_id: int(20) },
      }),
    ).toEqual(['2']);
    // many_to_many: a junction row, and the related tag row itself.
    expect(
      await resolve({
        kind: 'delete',
        table: t('user_tags'),
        keyColumns: ['user_id' as never, 'tag_id' as never],
        key: [{ kind: 'int8', value: 2n }, int(2)],
        oldRow: { user_id: { kind: 'int8', value: 2n }, tag_id: int(2) },
      }),
    ).toEqual(['2']);
    expect(await resolve(upsert('tags', 2, { id: int(2) }))).toEqual(['1', '2']);
    // belongs_to: a team change rebuilds every member.
    expect(await resolve(upsert('teams', 1, { id: int(1) }))).toEqual(['1', '3']);
  });

  it('asks for a rebuild when a table the index reads is truncated', async () => {
    const res = await builder.resolve([
      { kind: 'truncate', tables: [t('items')] },
      { kind: 'truncate', tables: [t('unrelated')] },
    ]);
    expect([...res.rebuild]).toEqual(['users']);
  });

  it('publishes every table the index reads, and hashes the schema canonically', () => {
    expect(builder.tables().map((x) => x.table)).toEqual([
      'items',
      'orders',
      'tags',
      'teams',
      'user_tags',
      'users',
    ]);
    const reordered = JSON.parse(JSON.stringify(usersSchema), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(schemaHash(reordered)).toBe(schemaHash(usersSchema));
    expect(builder.indexes()[0]?.mapping).toMatchObject({
      mappings: {
        dynamic: 'strict',
        properties: { orders: { type: 'nested' }, team: { type: 'object' }, location: { type: 'geo_point' } },
      },
    });
  });
});

describe('timestamp coercion', () => {
  it('renders Postgres offsets as ISO 8601 zones', async () => {
    const { coerceScalar } = await import('./coerce.js');
    expect(coerceScalar('timestamp', '2025-01-01 05:00:00+00')).toBe('2025-01-01T05:00:00+00:00');
    expect(coerceScalar('timestamp', '2024-01-02 03:04:05.123+0530')).toBe('2024-01-02T03:04:05.123+05:30');
    expect(coerceScalar('timestamp', '2024-01-02T03:04:05')).toBe('2024-01-02T03:04:05Z');
    expect(coerceScalar('date', '2024-01-02')).toBe('2024-01-02');
  });
});
