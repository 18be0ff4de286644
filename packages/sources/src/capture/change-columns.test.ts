// A capture told which columns resolution reads (changeColumns) decodes only those, the key
// and the replica identity, and resolves every change to the same documents as a capture
// that decodes every column: re-parents, child deletes, junction and belongs_to changes.
import type { Change } from '@flusso/core';
import { parseIndexName, parseSchemaName, parseTableName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeColumns } from '../builder/change-columns.js';
import { PgDocumentBuilder } from '../builder/pg-document-builder.js';
import { shopSql, usersSchema } from '../builder/shop.fixture.js';
import { collect, newCapture } from './capture-test-kit.fixture.js';

const users = parseIndexName('users');
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });
const tables = ['teams', 'users', 'orders', 'items', 'tags', 'user_tags'].map(table);

const workload = `
  UPDATE users SET name = 'Ada L.', email = 'ada@example.org' WHERE id = 1;
  UPDATE orders SET user_id = 2 WHERE id = 12;
  DELETE FROM items WHERE id = 101;
  UPDATE items SET qty = 9 WHERE id = 200;
  UPDATE tags SET label = 'gold' WHERE id = 1;
  DELETE FROM user_tags WHERE user_id = 2 AND tag_id = 2;
  UPDATE teams SET name = 'platform' WHERE id = 1;
  UPDATE users SET deleted = true WHERE id = 9007199254740993;
`;
const changesInWorkload = 8;

function columnsOf(change: Change): string[] {
  const event = change.event;
  if (event.kind === 'truncate') return [];
  return Object.keys(event.kind === 'upsert' ? event.row : (event.oldRow ?? {})).sort();
}

describe.each(testedVersions())('change columns on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let builder: PgDocumentBuilder;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(shopSql);
    pool = new pg.Pool({ connectionString: db.url });
    builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: users, schema: usersSchema }] });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('decodes only what resolution reads, and resolves the same documents as a full decode', async () => {
    const masked = newCapture(db.url, 'users', { changeColumns: () => changeColumns([usersSchema]) }).capture;
    const full = newCapture(db.url, 'users').capture;
    await masked.prepare(tables);
    await full.prepare(tables);
    await db.sql(workload);
    const a = await collect(masked, (c) => c.length >= changesInWorkload);
    const b = await collect(full, (c) => c.length >= changesInWorkload);
    try {
      // The root's update carries its key only; a FULL child keeps its key and link columns.
      expect(columnsOf(a.changes[0] as Change)).toEqual(['id']);
      expect(columnsOf(b.changes[0] as Change)).toEqual([
        'avatar',
        'born',
        'deleted',
        'email',
        'id',
        'joined',
        'lat',
        'lon',
        'name',
        'prefs',
        'score',
        'team_id',
      ]);
      expect(columnsOf(a.changes[1] as Change)).toEqual(['id', 'user_id']);
      expect(columnsOf(a.changes[2] as Change)).toEqual(['id', 'order_id']);
      expect(columnsOf(a.changes[5] as Change)).toEqual(['tag_id', 'user_id']);

      const resolved = async (changes: readonly Change[]) =>
        [...((await builder.resolve(changes.map((c) => c.event))).documents.get(users) ?? [])].sort();
      // Old and new parent of the re-parented order, the junction's and the team's users.
      expect(await resolved(a.changes)).toEqual(['1', '2', '3', '9007199254740993']);
      expect(await resolved(a.changes)).toEqual(await resolved(b.changes));

      // What a sink receives for them is what the SQL says now.
      const built = await builder.build(users, ['1', '2', '3', '9007199254740993'] as never[]);
      expect(built.map((d) => (d.op === 'upsert' ? d.id : `delete ${d.id}`))).toEqual([
        '1',
        '2',
        'delete 3',
        'delete 9007199254740993',
      ]);
      const ada = built[0];
      const doc = ada?.op === 'upsert' ? stringifyExact(ada.document) : '';
      expect(doc).toContain('"name":"Ada L."');
      expect(doc).toContain('"tags":[{"label":"beta"},{"label":"gold"}]');
      expect(doc).toContain('"team":{"name":"platform"}');
    } finally {
      a.stop();
      b.stop();
      await masked.close();
      await full.close();
    }
  });
});
