// `binary` fields take base64. A lone bytea is encoded by the SQL; an array of
// them (1-D, 2-D, NULL elements, empty) must reach the body as base64 too, also
// on a database whose bytea_output is `escape`, and equal what encode() says.

import type { BuiltDocument, Field, IndexSchema } from '@flusso/core';
import { parseIndexName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceSessionOptions } from '../capture/session-options.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

const bin = (name: string): Field => ({
  kind: 'scalar',
  name,
  type: 'binary',
  column: name,
  required: false,
  transforms: [],
});
const blobs = parseIndexName('blobs');
const schema: IndexSchema = {
  version: 1,
  table: 'blobs',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [bin('one'), bin('many'), bin('grid')],
};

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('bytea arrays on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET bytea_output = 'escape'`);
    await db.sql(`CREATE TABLE blobs (id int PRIMARY KEY, one bytea, many bytea[], grid bytea[]);
      INSERT INTO blobs VALUES
        (1, '\\xdeadbeef', ARRAY['\\xdead'::bytea, NULL, '\\x'::bytea, '\\x00ff5c22'::bytea], ARRAY[['\\x01'::bytea, '\\x02'::bytea], ['\\x03'::bytea, NULL]]),
        (2, '\\x', '{}', NULL);`);
    pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.close();
  });

  it('sends every element as the base64 of its bytes, shape and NULLs kept', async () => {
    const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: blobs, schema }] });
    // The truth, element by element, from Postgres's own encode().
    const [truth] = await db.sql<{ a: string[] }>(
      "SELECT array(SELECT coalesce(encode(x, 'base64'), 'null') FROM unnest(many) x) AS a FROM blobs WHERE id = 1",
    );
    expect(truth?.a).toEqual(['3q0=', 'null', '', 'AP9cIg==']);
    expect(texts(await builder.build(blobs, ['1', '2'] as never))).toEqual([
      '1 {"one":"3q2+7w==","many":["3q0=",null,"","AP9cIg=="],"grid":[["AQ==","Ag=="],["Aw==",null]]}',
      '2 {"one":"","many":[],"grid":null}',
    ]);
  });
});
