// Aggregates of one row over the same related rows share one LATERAL scan (each with its
// own filters as FILTER): at the root, inside a has_many, through a junction. The values
// sent equal what one subquery per aggregate computes (written out here by hand), byte
// for byte; an aggregate with a raw filter keeps its own subquery.
import type { AggregateField, BuiltDocument, Field, IndexSchema } from '@flusso/core';
import { isExactObject, parseExactJson, parseIndexName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSessionOptions } from '../capture/session-options.js';
import { coerceDocument } from './coerce.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const users = parseIndexName('users');

const agg = (name: string, fn: AggregateField['fn'], table: string, extra: Partial<AggregateField>): Field =>
  ({
    kind: 'aggregate',
    fn,
    name,
    table,
    schema: 'public',
    primaryKey: 'id',
    filters: [],
    ...extra,
  }) as Field;

const schema: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    agg('orders', 'count', 'orders', { foreignKey: 'user_id' }),
    agg('paid', 'sum', 'orders', {
      foreignKey: 'user_id',
      column: 'total',
      valueType: 'decimal',
      filters: [{ column: 'status', op: 'in', value: ['paid', 'shipped'] }],
    }),
    {
      kind: 'object',
      name: 'stats',
      fields: [
        agg('mean', 'avg', 'orders', { foreignKey: 'user_id', column: 'total' }),
        agg('last', 'max', 'orders', { foreignKey: 'user_id', column: 'placed', valueType: 'timestamp' }),
        agg('bigOnes', 'ids', 'orders', {
          foreignKey: 'user_id',
          elementType: 'integer',
          filters: [{ column: 'total', op: 'gt', value: 10 }],
        }),
      ],
    },
    agg('odd', 'count', 'orders', { foreignKey: 'user_id', filters: [{ raw: 'total < 10' }] }),
    agg('tagCount', 'count', 'tags', {
      through: { table: 'user_tags', leftKey: 'user_id', rightKey: 'tag_id' },
    }),
    agg('tagIds', 'ids', 'tags', {
      elementType: 'integer',
      through: { table: 'user_tags', leftKey: 'user_id', rightKey: 'tag_id' },
    }),
    {
      kind: 'join',
      verb: 'has_many',
      name: 'list',
      table: 'orders',
      schema: 'public',
      primaryKey: 'id',
      foreignKey: 'user_id',
      filters: [],
      orderBy: [{ column: 'id', direction: 'asc' }],
      required: false,
      fields: [
        { kind: 'scalar', name: 'id', type: 'integer', column: 'id', required: false, transforms: [] },
        agg('lines', 'count', 'items', { foreignKey: 'order_id' }),
        agg('qty', 'sum', 'items', { foreignKey: 'order_id', column: 'qty', valueType: 'long' }),
      ],
    },
  ],
};

// One subquery per aggregate, as the builder wrote them before they shared a scan.
const TRUTH = `
  SELECT u.id, json_build_object(
    'orders', (SELECT count(*) FROM orders o WHERE o.user_id = u.id),
    'paid', (SELECT sum(o.total) FROM orders o WHERE o.user_id = u.id AND o.status IN ('paid', 'shipped')),
    'stats', json_build_object(
      'mean', (SELECT avg(o.total) FROM orders o WHERE o.user_id = u.id),
      'last', (SELECT max(o.placed) FROM orders o WHERE o.user_id = u.id),
      'bigOnes', COALESCE((SELECT json_agg(o.id ORDER BY o.id) FROM orders o WHERE o.user_id = u.id AND o.total > 10), '[]'::json)),
    'odd', (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.total < 10),
    'tagCount', (SELECT count(*) FROM tags t JOIN user_tags x ON x.tag_id = t.id WHERE x.user_id = u.id),
    'tagIds', COALESCE((SELECT json_agg(t.id ORDER BY t.id) FROM tags t JOIN user_tags x ON x.tag_id = t.id WHERE x.user_id = u.id), '[]'::json),
    'list', COALESCE((SELECT json_agg(json_build_object('id', o.id,
        'lines', (SELECT count(*) FROM items i WHERE i.order_id = o.id),
        'qty', (SELECT sum(i.qty) FROM items i WHERE i.order_id = o.id)) ORDER BY o.id)
      FROM orders o WHERE o.user_id = u.id), '[]'::json))::text AS doc
  FROM users u ORDER BY u.id`;

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('shared aggregate scans on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`CREATE TABLE users (id int PRIMARY KEY);
      CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, status text NOT NULL,
        total numeric(20, 2) NOT NULL, placed timestamptz NOT NULL);
      CREATE TABLE items (id int PRIMARY KEY, order_id int NOT NULL, qty bigint NOT NULL);
      CREATE TABLE tags (id int PRIMARY KEY);
      CREATE TABLE user_tags (user_id int NOT NULL, tag_id int NOT NULL, PRIMARY KEY (user_id, tag_id));
      INSERT INTO users VALUES (1), (2), (3);
      INSERT INTO orders VALUES (10, 1, 'paid', 12.50, '2024-01-02 03:04:05.123456+00'),
        (11, 1, 'cancelled', 7.00, '2024-02-01 00:00:00+00'), (12, 1, 'shipped', 9007199254740993.01, '2023-12-31 23:59:59+00'),
        (20, 2, 'pending', 3.00, '2024-03-01 12:00:00+00');
      INSERT INTO items VALUES (100, 10, 9223372036854775806), (101, 10, 1), (102, 12, 4), (200, 20, 2);
      INSERT INTO tags VALUES (1), (2), (3);
      INSERT INTO user_tags VALUES (1, 3), (1, 1), (2, 2);`);
    pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('computes aggregates over the same rows in one scan, with the values one subquery each gives', async () => {
    const sent: string[] = [];
    const spy = {
      query: async (text: string, params?: unknown[]) => {
        sent.push(text);
        return pool.query(text, params);
      },
    };
    const builder = new PgDocumentBuilder({ db: spy, indexes: [{ name: users, schema }] });
    const built = texts(await builder.build(users, ['1', '2', '3'] as never));
    const truth = await pool.query<{ id: number; doc: string }>(TRUTH);
    // The truth's text through the same coercion the builder's object path applies.
    const shaped = truth.rows.map((r) => {
      const doc = parseExactJson(r.doc);
      if (!isExactObject(doc)) throw new TypeError('not an object');
      return `${r.id} ${stringifyExact(coerceDocument(schema.fields, doc, { note: () => undefined }))}`;
    });
    expect(built).toEqual(shaped);
    expect(built[0]).toContain('"paid":9007199254741005.51');
    const query = sent.find((t) => t.includes('json_build_object')) ?? '';
    // Root over orders, root through the junction, each listed order over its items.
    expect(query.match(/CROSS JOIN LATERAL/g)).toHaveLength(3);
    // The raw-filtered count keeps its own subquery.
    expect(query).toContain('(total < 10)');
  });
});
