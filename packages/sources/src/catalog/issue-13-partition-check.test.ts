// Issue 13, finding 2 as `flusso check` reports it: a partitioned root is
// covered by a publication that names it (whatever pg_publication_tables lists),
// and check says it publishes via the root or migrates a legacy publication.
import { type IndexSchema, parseIndexName } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCatalog } from './check-catalog.js';

const partSchema: IndexSchema = {
  version: 1,
  table: 'part',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [{ kind: 'scalar', name: 'id', type: 'integer', column: 'id', required: false, transforms: [] }],
};

describe('flusso check on a partitioned root', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(`
      CREATE TABLE part (id int PRIMARY KEY, n text) PARTITION BY RANGE (id);
      CREATE TABLE part_low PARTITION OF part FOR VALUES FROM (0) TO (100);
      CREATE TABLE part_high PARTITION OF part FOR VALUES FROM (100) TO (200);`);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  const check = () => checkCatalog(client, [{ name: parseIndexName('part'), schema: partSchema }], 'flusso');

  it('says a new publication publishes it via its root', async () => {
    const findings = await check();
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        path: 'public.part',
        message: expect.stringContaining('publishes it via its root'),
      }),
    );
  });

  it('migrates a publication that publishes the partitions separately, never re-adding the root', async () => {
    await db.sql('CREATE PUBLICATION flusso FOR TABLE part');
    const findings = await check();
    expect(findings.map((f) => f.fix)).toContain(
      'ALTER PUBLICATION "flusso" SET (publish_via_partition_root = true);',
    );
    expect(findings.some((f) => f.fix?.includes('ADD TABLE'))).toBe(false);
  });

  it('judges a partitioned child by its leaf partitions, naming each that is not REPLICA IDENTITY FULL', async () => {
    await db.sql(`
      CREATE TABLE notes (id int PRIMARY KEY, part_id int NOT NULL) PARTITION BY RANGE (id);
      CREATE TABLE notes_a PARTITION OF notes FOR VALUES FROM (0) TO (100);
      CREATE TABLE notes_b PARTITION OF notes FOR VALUES FROM (100) TO (200);
      CREATE INDEX ON notes (part_id); ALTER TABLE notes_a REPLICA IDENTITY FULL;`);
    const withNotes: IndexSchema = {
      ...partSchema,
      fields: [
        ...partSchema.fields,
        {
          kind: 'join',
          verb: 'has_many',
          name: 'notes',
          table: 'notes',
          schema: 'public',
          primaryKey: 'id',
          foreignKey: 'part_id',
          filters: [],
          orderBy: [],
          required: false,
          fields: [
            { kind: 'scalar', name: 'id', type: 'integer', column: 'id', required: false, transforms: [] },
          ],
        },
      ],
    };
    const findings = await checkCatalog(
      client,
      [{ name: parseIndexName('part'), schema: withNotes }],
      'flusso',
    );
    const fixes = findings.map((f) => f.fix);
    expect(fixes).toContain('ALTER TABLE public.notes_b REPLICA IDENTITY FULL;');
    expect(fixes).not.toContain('ALTER TABLE public.notes REPLICA IDENTITY FULL;');
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  });
});
