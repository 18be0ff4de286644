// Generated columns on the tables flusso publishes. Postgres 18 refuses the
// application's UPDATE and DELETE on a published table whose replica identity
// (FULL, or a key) holds a generated column the publication does not publish. So
// flusso's publication publishes stored generated columns (Postgres 18+; created
// so, or migrated), and a REPLICA IDENTITY FULL table with a virtual generated
// column (which no publication can publish) is refused before anything is
// published, as a table without a replica identity is. A join whose foreign key
// is a stored generated column rebuilds both parents when a row moves (18+).
import { FlussoError, type IndexSchema, parseIndexName, parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDocumentBuilder } from '../builder/pg-document-builder.js';
import { collect, newCapture } from './capture-test-kit.fixture.js';
import { sourceSessionOptions } from './session-options.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

/** Tables with a generated column under each replica identity the application may give them. */
const stored = [
  ['full_stored', 'ALTER TABLE full_stored REPLICA IDENTITY FULL'],
  ['pk_stored', ''],
  ['index_stored', 'ALTER TABLE index_stored REPLICA IDENTITY USING INDEX index_stored_g'],
] as const;

const ddl = `
CREATE TABLE full_stored (id int PRIMARY KEY, a int, g int GENERATED ALWAYS AS (a * 2) STORED);
CREATE TABLE pk_stored (a int NOT NULL, g int GENERATED ALWAYS AS (a * 2) STORED PRIMARY KEY);
CREATE TABLE index_stored (id int, a int NOT NULL, g int NOT NULL GENERATED ALWAYS AS (a * 2) STORED);
CREATE UNIQUE INDEX index_stored_g ON index_stored (g);
${stored.map(([, sql]) => `${sql};`).join('\n')}
INSERT INTO full_stored VALUES (1, 1); INSERT INTO pk_stored VALUES (1); INSERT INTO index_stored VALUES (1, 1);
CREATE TABLE owners (id int PRIMARY KEY, name text);
CREATE TABLE pets (id int PRIMARY KEY, owner_code int, owner_id int GENERATED ALWAYS AS (owner_code) STORED);
ALTER TABLE pets REPLICA IDENTITY FULL;
INSERT INTO owners VALUES (1, 'a'), (2, 'b'); INSERT INTO pets VALUES (10, 1);`;

const owners: IndexSchema = {
  version: 1,
  table: 'owners',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    {
      kind: 'aggregate',
      fn: 'count',
      name: 'pets',
      table: 'pets',
      schema: 'public',
      foreignKey: 'owner_id',
      primaryKey: 'id',
      filters: [],
    },
  ],
};

describe.each(testedVersions())('generated columns on Postgres %i', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(ddl);
  });
  afterAll(async () => db?.close());

  it('the application keeps updating and deleting every published table with a stored generated column', async () => {
    const { capture } = newCapture(db.url, 'gen');
    try {
      await capture.prepare([...stored.map(([name]) => table(name)), table('owners'), table('pets')]);
      for (const [name] of stored) {
        await db.sql(`UPDATE ${name} SET a = a + 1`);
        await db.sql(`DELETE FROM ${name}`);
      }
    } finally {
      await capture.close();
    }
  });

  it('an existing publication without generated columns is migrated before a table is added', async () => {
    await db.sql(`INSERT INTO full_stored VALUES (2, 2)`);
    await db.sql('CREATE PUBLICATION legacy FOR TABLE owners');
    const { capture } = newCapture(db.url, 'gen', { publication: 'legacy' });
    try {
      await capture.prepare([table('full_stored'), table('owners')]);
      await db.sql('UPDATE full_stored SET a = 5; DELETE FROM full_stored');
    } finally {
      await capture.close();
    }
  });

  it.runIf(version >= 18)(
    'a REPLICA IDENTITY FULL table with a virtual generated column is refused and never published',
    async () => {
      await db.sql(`CREATE TABLE virt (id int PRIMARY KEY, a int, v int GENERATED ALWAYS AS (a + 1) VIRTUAL);
        ALTER TABLE virt REPLICA IDENTITY FULL; INSERT INTO virt VALUES (1, 1)`);
      const { capture, name } = newCapture(db.url, 'gen');
      try {
        const refused = await capture.prepare([table('virt')]).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(FlussoError);
        expect((refused as FlussoError).code).toBe('source_rejected');
        expect((refused as FlussoError).message).toContain(
          'ALTER TABLE public.virt REPLICA IDENTITY DEFAULT;',
        );
        expect(await db.sql('SELECT 1 FROM pg_publication WHERE pubname = $1', [name])).toEqual([]);
        await db.sql('UPDATE virt SET a = 2; DELETE FROM virt');
        // With the primary key as its identity it is published, and writes go on.
        await db.sql('ALTER TABLE virt REPLICA IDENTITY DEFAULT; INSERT INTO virt VALUES (1, 1)');
        await capture.prepare([table('virt')]);
        await db.sql('UPDATE virt SET a = 3; DELETE FROM virt');
      } finally {
        await capture.close();
      }
    },
  );

  it.runIf(version >= 18)(
    'a row moved by its generated foreign key rebuilds the old and the new parent',
    async () => {
      const pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
      const index = parseIndexName('owners');
      const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: index, schema: owners }] });
      const { capture } = newCapture(db.url, 'gen');
      try {
        await capture.prepare([table('owners'), table('pets')]);
        await db.sql('UPDATE pets SET owner_code = 2 WHERE id = 10');
        const { changes, stop } = await collect(capture, (got) => got.length >= 1);
        stop();
        const resolved = await builder.resolve(changes.map((c) => c.event));
        expect([...(resolved.documents.get(index) ?? [])].sort()).toEqual(['1', '2']);
      } finally {
        await capture.close();
        await pool.end();
      }
    },
  );
});
