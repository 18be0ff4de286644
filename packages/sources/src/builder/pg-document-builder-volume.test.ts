import { type DocumentId, parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDocumentBuilder } from './pg-document-builder.js';
import { shopSql, usersSchema } from './shop.fixture.js';

const users = parseIndexName('users');
const N = 10_000;

describe('PgDocumentBuilder at volume', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(shopSql);
    // 10 000 more users, two orders each with two items, and a tag: every join and aggregate has rows.
    // Join keys indexed, as any schema with foreign keys at this size would have them.
    await db.sql(`
      CREATE INDEX ON orders (user_id); CREATE INDEX ON items (order_id);
      INSERT INTO users (id, email, name, team_id) SELECT 1000 + g, 'u' || g || '@x.io', 'user ' || g, 1 + g % 2 FROM generate_series(1, ${N}) g;
      INSERT INTO orders SELECT 100000 + g, 1000 + (g + 1) / 2, CASE WHEN g % 2 = 0 THEN 'paid' ELSE 'delivered' END, g % 50 FROM generate_series(1, ${2 * N}) g;
      INSERT INTO items SELECT 1000000 + g, 100000 + (g + 1) / 2, 'S-' || g, 1 + g % 3 FROM generate_series(1, ${4 * N}) g;
      INSERT INTO user_tags SELECT 1000 + g, 1 + g % 2 FROM generate_series(1, ${N}) g;
      ANALYZE;
    `);
    pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC' });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('builds 10 000 documents with joins and aggregates in one query per chunk', async () => {
    let queries = 0;
    const db = {
      query: (text: string, params?: unknown[]) => {
        queries += 1;
        return pool.query(text, params);
      },
    };
    const builder = new PgDocumentBuilder({ db, indexes: [{ name: users, schema: usersSchema }] });
    // The first build also looks up the key's type once; count only the document queries.
    await builder.build(users, ['1' as DocumentId]);
    queries = 0;
    const ids = Array.from({ length: N }, (_, i) => String(1001 + i) as DocumentId);
    const docs = await builder.build(users, ids);
    expect(queries).toBe(N / 500);
    expect(docs).toHaveLength(N);
    expect(docs.every((d) => d.op === 'upsert')).toBe(true);
    // User 1000+u has orders 100000+2u-1 (delivered) and 100000+2u (paid), each with two items, and one tag.
    for (const u of [1, 4_321, N]) {
      const built = docs.find((d) => d.id === String(1000 + u));
      const doc = built?.op === 'upsert' ? (built.document as Record<string, unknown>) : {};
      const [newer, older] = [100_000 + 2 * u, 100_000 + 2 * u - 1];
      const skus = (order: number) =>
        [2 * (order - 100_000) - 1, 2 * (order - 100_000)].map((i) => ({ sku: `S-${i}` }));
      expect(doc).toMatchObject({
        name: `user ${u}`,
        orderCount: 2,
        orders: [
          { id: newer, status: 'paid', items: skus(newer) },
          { id: older, status: 'delivered', items: skus(older) },
        ],
        tags: [{ label: u % 2 === 0 ? 'vip' : 'beta' }],
      });
    }
  }, 120_000);
});
