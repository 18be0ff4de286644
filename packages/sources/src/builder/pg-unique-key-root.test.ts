// A root keyed by a unique index other than its primary key (a public id beside a
// serial one): its deletes and key changes name the document only through the old
// tuple, so the replica identity must carry the declared key. Under DEFAULT it
// does not (check and run refuse, naming the fix); under USING INDEX it does, and
// a delete that carries no primary key value is read by the identity's columns.

import type { BuiltDocument, Field, IndexSchema } from '@flusso/core';
import { parseIndexName, parseSchemaName, parseTableName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, newCapture } from '../capture/capture-test-kit.fixture.js';
import { sourceSessionOptions } from '../capture/session-options.js';
import { checkCatalog } from '../catalog/check-catalog.js';
import { verifyKeys } from '../catalog/verify-keys.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const text = (name: string): Field => ({
  kind: 'scalar',
  name,
  type: 'text',
  column: name,
  required: false,
  transforms: [],
});
const users = parseIndexName('users');
const usersSchema: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'public_id',
  filters: [],
  fields: [
    text('name'),
    {
      kind: 'aggregate',
      fn: 'count',
      name: 'notes',
      table: 'notes',
      schema: 'public',
      foreignKey: 'user_public_id',
      primaryKey: 'id',
      filters: [],
    },
  ],
};
const indexes = [{ name: users, schema: usersSchema }];
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('a root keyed by a unique index on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`CREATE TABLE users (id serial PRIMARY KEY, public_id text UNIQUE NOT NULL, name text);
      CREATE TABLE notes (id serial PRIMARY KEY, ext text UNIQUE NOT NULL, user_public_id text NOT NULL);
      ALTER TABLE notes REPLICA IDENTITY USING INDEX notes_ext_key;
      INSERT INTO users (public_id, name) VALUES ('u1', 'a'), ('u2', 'b'), ('u3', 'c');
      INSERT INTO notes (ext, user_public_id) VALUES ('n1', 'u3');`);
    pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('under REPLICA IDENTITY DEFAULT, check reports and run refuses the key its deletes do not carry', async () => {
    const findings = (await checkCatalog(pool, indexes, 'none')).filter((f) => f.path === 'primary_key');
    expect(findings).toEqual([
      expect.objectContaining({
        level: 'error',
        fix: 'ALTER TABLE public.users REPLICA IDENTITY USING INDEX users_public_id_key;',
      }),
    ]);
    await expect(verifyKeys(pool, indexes)).rejects.toMatchObject({ code: 'source_rejected' });
  });

  it('under USING INDEX, a delete and a key change remove the old document; a child delete does not stop capture', async () => {
    await db.sql('ALTER TABLE users REPLICA IDENTITY USING INDEX users_public_id_key');
    await verifyKeys(pool, indexes);
    const builder = new PgDocumentBuilder({ db: pool, indexes });
    const { capture } = newCapture(db.url, 'users');
    await capture.prepare([table('users'), table('notes')]);
    await db.sql(`UPDATE users SET public_id = 'u1new' WHERE public_id = 'u1';
      DELETE FROM users WHERE public_id = 'u2';
      DELETE FROM notes WHERE ext = 'n1';
      UPDATE users SET name = 'z' WHERE public_id = 'u1new';`);
    const { changes, stop } = await collect(capture, (c) => c.length >= 5);
    const resolution = await builder.resolve(changes.map((c) => c.event));
    const ids = [...(resolution.documents.get(users) ?? [])].sort();
    expect(texts(await builder.build(users, ids))).toEqual([
      'delete u1',
      'u1new {"name":"z","notes":0}',
      'delete u2',
    ]);
    stop();
    await capture.close();
  });
});
