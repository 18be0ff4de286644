// Aggregates read their column as the field projection does: money as numeric
// (an exact JSON number, no currency sign, any lc_monetary), char(n) without its
// padding. Before, sum/min/max(money) sent "$12.34" to a decimal field (which a
// numeric mapping rejects), avg(money) failed the build query, and min/max over
// char(n) kept the padding a scalar field of the same column trims.

import type { BuiltDocument, Field, IndexSchema } from '@flusso/core';
import { parseIndexName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSessionOptions } from '../capture/session-options.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const orders = parseIndexName('orders');
const agg = (
  name: string,
  fn: 'sum' | 'min' | 'max' | 'avg',
  column: string,
  valueType?: 'decimal' | 'keyword',
): Field => ({
  kind: 'aggregate',
  fn,
  name,
  table: 'lines',
  schema: 'public',
  column,
  ...(valueType ? { valueType } : {}),
  foreignKey: 'order_id',
  primaryKey: 'id',
  filters: [],
});
const schema: IndexSchema = {
  version: 1,
  table: 'orders',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    { kind: 'scalar', name: 'code', type: 'keyword', column: 'code', required: false, transforms: [] },
    agg('total', 'sum', 'price', 'decimal'),
    agg('cheapest', 'min', 'price', 'decimal'),
    agg('dearest', 'max', 'price', 'decimal'),
    agg('mean', 'avg', 'price'),
    agg('firstSku', 'min', 'sku', 'keyword'),
  ],
};

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('aggregate arguments on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`CREATE TABLE orders (id int PRIMARY KEY, code char(6));
      CREATE TABLE lines (id int PRIMARY KEY, order_id int NOT NULL, price money, sku char(8));
      INSERT INTO orders VALUES (1, 'o1'), (2, 'o2');
      INSERT INTO lines VALUES (1, 1, '1234567.89', 'b'), (2, 1, '0.11', 'a'), (3, 1, NULL, NULL);`);
    pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('sends money aggregates as exact numbers and char(n) ones unpadded, as the SQL computes them', async () => {
    const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: orders, schema }] });
    const [truth] = await db.sql<{ t: string; lo: string; hi: string; mean: string }>(
      'SELECT sum(price::numeric)::text AS t, min(price::numeric)::text AS lo, max(price::numeric)::text AS hi, avg(price::numeric)::text AS mean FROM lines WHERE order_id = 1',
    );
    expect(truth).toEqual({ t: '1234568.00', lo: '0.11', hi: '1234567.89', mean: '617284.000000000000' });
    expect(texts(await builder.build(orders, ['1', '2'] as never))).toEqual([
      '1 {"code":"o1","total":1234568.00,"cheapest":0.11,"dearest":1234567.89,"mean":617284.000000000000,"firstSku":"a"}',
      '2 {"code":"o2","total":null,"cheapest":null,"dearest":null,"mean":null,"firstSku":null}',
    ]);
  });
});
