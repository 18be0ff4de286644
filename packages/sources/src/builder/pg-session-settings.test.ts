// A real database carries settings of its own (`ALTER DATABASE … SET`, `ALTER ROLE … SET`),
// and every session flusso opens inherits them unless it pins what it needs. Several
// change how Postgres prints a value: DateStyle (a date or timestamp key's text, so the
// document id), IntervalStyle (an interval's text), extra_float_digits (0 or less rounds
// every real and double), bytea_output and TimeZone. The documents (ids and bytes) must
// be the ones a neutral session builds, on the backfill and the live path, under each
// setting a database may carry.

import type { BuiltDocument, Field, IndexSchema, ScalarType } from '@flusso/core';
import { parseIndexName, parseSchemaName, parseTableName, stringifyExact } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, newCapture } from '../capture/capture-test-kit.fixture.js';
import { sourceSessionOptions } from '../capture/session-options.js';
import { PgDocumentBuilder } from './pg-document-builder.js';

/** Database settings real deployments carry that change the text of some value. */
const settings: Record<string, string>[] = [
  {},
  { DateStyle: 'SQL, DMY' },
  { DateStyle: 'German' },
  { DateStyle: 'Postgres, MDY' },
  { IntervalStyle: 'sql_standard' },
  { IntervalStyle: 'iso_8601' },
  { IntervalStyle: 'postgres_verbose' },
  { extra_float_digits: '0' },
  { extra_float_digits: '-15' },
  { bytea_output: 'escape' },
  { TimeZone: 'America/St_Johns' },
  {
    DateStyle: 'SQL, DMY',
    IntervalStyle: 'sql_standard',
    extra_float_digits: '-3',
    TimeZone: 'Asia/Kolkata',
  },
];

const s = (name: string, type: ScalarType, more: Partial<Field> = {}): Field =>
  ({ kind: 'scalar', name, type, column: name, required: false, transforms: [], ...more }) as Field;

const interval = (name: string): Field =>
  s(name, 'custom', { postgres: ['interval'], opensearch: { type: 'keyword' } } as Partial<Field>);

// Root keyed by (date, timestamp): its id is the key's text. Children link by that key.
const schema: IndexSchema = {
  version: 1,
  table: 'days',
  schema: 'public',
  primaryKey: ['d', 'at'],
  filters: [],
  fields: [
    s('d', 'date'),
    s('at', 'timestamp'),
    s('f', 'double'),
    s('r', 'float'),
    s('fs', 'double'),
    s('b', 'binary'),
    s('tz', 'timestamp'),
    s('t', 'timestamp'),
    interval('iv'),
    interval('ivs'),
    {
      kind: 'join',
      verb: 'has_many',
      name: 'items',
      table: 'items',
      schema: 'public',
      primaryKey: 'id',
      foreignKey: ['d', 'at'],
      filters: [],
      orderBy: [{ column: 'id', direction: 'asc' }],
      required: false,
      fields: [s('id', 'integer'), s('qty', 'double'), interval('wait')],
    },
    ...(['sum', 'max', 'avg'] as const).map(
      (fn): Field => ({
        kind: 'aggregate',
        fn,
        name: `qty_${fn}`,
        table: 'items',
        schema: 'public',
        column: 'qty',
        valueType: 'double',
        foreignKey: ['d', 'at'],
        primaryKey: 'id',
        filters: [],
      }),
    ),
  ],
};

const ddl = `
CREATE TABLE days (d date, at timestamp, f float8, r real, fs float8[], b bytea, tz timestamptz,
  t time, iv interval, ivs interval[], PRIMARY KEY (d, at));
CREATE TABLE items (id int PRIMARY KEY, d date, at timestamp, qty float8, wait interval);
ALTER TABLE items REPLICA IDENTITY FULL;`;

const rows = `
INSERT INTO days VALUES ('2024-01-02', '2024-03-04 05:06:07.5', 0.1 + 0.2, 1.1, '{0.1,1e-7,NULL,123456789.12345678}',
  '\\x00ff', '2024-01-02 03:04:05+00', '13:45:56.789', '1 year 2 mons 3 days 04:05:06.5', '{"-1 day 02:00:00",NULL}');
INSERT INTO items VALUES (1, '2024-01-02', '2024-03-04 05:06:07.5', 0.30000000000000004, '-00:00:01.25'),
  (2, '2024-01-02', '2024-03-04 05:06:07.5', 2.675, '100 days');`;

/** The document a neutral session (Postgres's defaults, UTC) builds, byte for byte. */
const expected =
  '2024-01-02:2024-03-04 05:06:07.5 {"d":"2024-01-02","at":"2024-03-04T05:06:07.5Z","f":0.3,' +
  '"r":1.1,"fs":[0.1,1e-07,null,123456789.12345678],"b":"AP8=","tz":"2024-01-02T03:04:05+00:00",' +
  '"t":"1970-01-01T13:45:56.789Z","iv":"1 year 2 mons 3 days 04:05:06.5","ivs":["-1 days +02:00:00",null],' +
  '"items":[{"id":1,"qty":0.30000000000000004,"wait":"-00:00:01.25"},{"id":2,"qty":2.675,"wait":"100 days"}],' +
  '"qty_sum":2.9749999999999996,"qty_max":2.675,"qty_avg":1.4874999999999998}';

const days = parseIndexName('days');
const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });
const texts = (built: readonly BuiltDocument[]) =>
  built.map((d) => (d.op === 'upsert' ? `${d.id} ${stringifyExact(d.document)}` : `delete ${d.id}`));

describe.each(testedVersions())('database settings on Postgres %i', (version) => {
  let db: TestDatabase;
  let dbName: string;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
    dbName = new URL(db.url).pathname.slice(1);
    await db.sql(ddl);
  });
  afterAll(async () => {
    await db?.sql(`ALTER DATABASE "${dbName}" RESET ALL`);
    await db?.close();
  });

  it.each(settings.map((set) => [JSON.stringify(set), set] as const))(
    'under %s the backfill and the live stream build the neutral document',
    async (_, set) => {
      await db.sql(`ALTER DATABASE "${dbName}" RESET ALL`);
      for (const [name, value] of Object.entries(set))
        await db.sql(`ALTER DATABASE "${dbName}" SET ${name} = '${value}'`);
      await db.sql('TRUNCATE days, items');
      const pool = new pg.Pool({ connectionString: db.url, options: sourceSessionOptions });
      const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: days, schema }] });
      const { capture } = newCapture(db.url, 'days');
      try {
        await db.sql(rows);
        await capture.prepare([table('days'), table('items')]);
        // Backfill: keys from the snapshot, built by the document query.
        const keys = [];
        for await (const page of capture.snapshot(builder.backfillScope(days))) keys.push(...page.keys);
        expect(texts(await builder.build(days, builder.idsFromKeys(days, keys)))).toEqual([expected]);
        // Live: changes to the root and to a child resolve to the same id and bytes.
        await db.sql('UPDATE days SET f = f; UPDATE items SET qty = qty WHERE id = 2');
        const { changes, stop } = await collect(capture, (got) => got.length >= 2);
        stop();
        const live = await builder.resolve(changes.map((c) => c.event));
        expect(texts(await builder.build(days, [...(live.documents.get(days) ?? [])]))).toEqual([expected]);
      } finally {
        await capture.close();
        await pool.end();
      }
    },
  );
});
