// Document ids and link matches agree on every path, whatever the key's type and
// the server's TimeZone: the backfill (snapshot keys), the live stream (pgoutput
// cells) and the build query (`::text`) must name one row by one id. A database
// in Asia/Kolkata (+05:30) with keys whose text differs between those paths:
// timestamptz (printed in the session's zone), char(n) (pgoutput keeps the
// padding, the cast drops it), boolean (pgoutput `t`, the cast `true`), inet
// (a host prints without its /32, the cast adds it), double and real (Postgres's
// shortest text is not a JavaScript number's), and domains over them (pgoutput
// names the domain's type, not its base).

import type { BuiltDocument, Field, IndexSchema } from '@flusso/core';
import { parseIndexName, parseSchemaName, parseTableName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, newCapture } from '../capture/capture-test-kit.fixture.js';
import type { PgChangeCapture } from '../capture/pg-change-capture.js';
import { sourceSessionOptions } from '../capture/session-options.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

/** One root per key shape: its key columns' types and values, and the id they must make. */
const cases = [
  {
    name: 'stamp',
    types: ['timestamptz'],
    values: ["'2024-01-02 03:04:05.5+00'"],
    id: '2024-01-02 03:04:05.5+00',
  },
  { name: 'code', types: ['char(6)'], values: ["'ab'"], id: 'ab' },
  { name: 'flag', types: ['boolean'], values: ['true'], id: 'true' },
  { name: 'day', types: ['date'], values: ["'2024-02-29'"], id: '2024-02-29' },
  { name: 'ip', types: ['inet'], values: ["'10.0.0.1'"], id: '10.0.0.1/32' },
  { name: 'ip6', types: ['inet'], values: ["'2001:db8::1'"], id: '2001:db8::1/128' },
  { name: 'sku', types: ['sku_code'], values: ["'ab'"], id: 'ab' },
  { name: 'yes', types: ['yes_no'], values: ['false'], id: 'false' },
  // A double or real prints its shortest exact text in Postgres's own form (1e-05,
  // 1e+15, -0), which a JavaScript number's text is not (0.00001, 1000000000000000, 0).
  { name: 'ratio', types: ['float8'], values: ["'1e-05'"], id: '1e-05' },
  { name: 'huge', types: ['float8'], values: ['1e15'], id: '1e+15' },
  { name: 'wide', types: ['float8'], values: ['123456789012345680000'], id: '1.2345678901234568e+20' },
  { name: 'negz', types: ['float8'], values: ["'-0'"], id: '-0' },
  { name: 'small', types: ['real'], values: ["'1e-05'"], id: '1e-05' },
  { name: 'fpart', types: ['double precision', 'int'], values: ["'1e-07'", '3'], id: '1e-07:3' },
  // jsonb prints with its own spacing and every digit; JSON.stringify would not.
  {
    name: 'doc',
    types: ['jsonb'],
    values: [`'{"b": 1, "a": [1, 2.50, 9007199254740993]}'`],
    id: '{"a": [1, 2.50, 9007199254740993], "b": 1}',
  },
  {
    name: 'part',
    types: ['int', 'timestamptz'],
    values: ['7', "'1999-12-31 23:30:00+00'"],
    id: '7:1999-12-31 23:30:00+00',
  },
] as const;

const keyCols = (c: (typeof cases)[number]) => c.types.map((_, i) => `k${i}`);

function schemaOf(c: (typeof cases)[number]): IndexSchema {
  const cols = keyCols(c);
  const key = cols.length === 1 ? (cols[0] as string) : cols;
  const label: Field = {
    kind: 'scalar',
    name: 'label',
    type: 'keyword',
    column: 'label',
    required: false,
    transforms: [],
  };
  const qty: Field = {
    kind: 'aggregate',
    fn: 'sum',
    name: 'qty',
    table: `${c.name}_items`,
    schema: 'public',
    column: 'qty',
    valueType: 'long',
    foreignKey: key,
    primaryKey: 'id',
    filters: [],
  };
  return { version: 1, table: c.name, schema: 'public', primaryKey: key, filters: [], fields: [label, qty] };
}

function ddl(c: (typeof cases)[number]): string {
  const cols = keyCols(c);
  const typed = cols.map((k, i) => `${k} ${c.types[i]}`).join(', ');
  return `CREATE TABLE ${c.name} (${typed}, label text, PRIMARY KEY (${cols.join(', ')}));
    CREATE TABLE ${c.name}_items (id int PRIMARY KEY, ${typed}, qty int);
    ALTER TABLE ${c.name}_items REPLICA IDENTITY FULL;
    INSERT INTO ${c.name} VALUES (${c.values.join(', ')}, 'a');
    INSERT INTO ${c.name}_items VALUES (1, ${c.values.join(', ')}, 1);`;
}

const index = (c: (typeof cases)[number]) => parseIndexName(c.name);
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

function texts(built: readonly BuiltDocument[]): string[] {
  return built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));
}

describe.each(testedVersions())('key texts on Postgres %i', (version) => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let builder: PgDocumentBuilder;
  let capture: PgChangeCapture;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    await db.sql(`ALTER DATABASE "${new URL(db.url).pathname.slice(1)}" SET TimeZone = 'Asia/Kolkata'`);
    await db.sql('CREATE DOMAIN sku_code AS char(8); CREATE DOMAIN yes_no AS boolean NOT NULL');
    await db.sql(cases.map(ddl).join('\n'));
    pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
    builder = new PgDocumentBuilder({
      db: pool,
      indexes: cases.map((c) => ({ name: index(c), schema: schemaOf(c) })),
    });
    capture = newCapture(db.url, 'keys').capture;
    await capture.prepare(cases.flatMap((c) => [table(c.name), table(`${c.name}_items`)]));
  });
  afterAll(async () => {
    await capture?.close();
    await pool?.end();
    await db?.close();
  });

  it('backfill: each row is indexed under the id its key prints', async () => {
    for (const c of cases) {
      const keys = [];
      for await (const page of capture.snapshot(builder.backfillScope(index(c)))) keys.push(...page.keys);
      const ids = builder.idsFromKeys(index(c), keys);
      expect(texts(await builder.build(index(c), ids))).toEqual([`${c.id} {"label":"a","qty":1}`]);
    }
  });

  it('live: root and child changes rebuild that same id, and a root delete removes it', async () => {
    for (const c of cases)
      await db.sql(`UPDATE ${c.name} SET label = 'b';
        INSERT INTO ${c.name}_items VALUES (2, ${c.values.join(', ')}, 2);
        DELETE FROM ${c.name}_items WHERE id = 1;`);
    const { changes, stop, more } = await collect(capture, (got) => got.length >= 3 * cases.length);
    const live = await builder.resolve(changes.map((ch) => ch.event));
    for (const c of cases) {
      const ids = [...(live.documents.get(index(c)) ?? [])];
      expect(texts(await builder.build(index(c), ids))).toEqual([`${c.id} {"label":"b","qty":2}`]);
    }
    for (const c of cases) await db.sql(`DELETE FROM ${c.name}`);
    await more((got) => got.length >= 4 * cases.length);
    const gone = await builder.resolve(changes.slice(3 * cases.length).map((ch) => ch.event));
    for (const c of cases) {
      const ids = [...(gone.documents.get(index(c)) ?? [])];
      expect(texts(await builder.build(index(c), ids))).toEqual([`delete ${c.id}`]);
    }
    stop();
  });
});
