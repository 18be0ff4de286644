// Every kind of value Postgres can hand flusso, for the byte-exact tests: exact
// numbers beyond a double, json numbers, arrays (NULLs, empty, 2-D), enums,
// domains, BC dates, infinities, time, NaN/Infinity, char(n).
import type { Field, IndexSchema, ScalarType } from '@flusso/core';

export const fidelitySql = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE vals (id bigint PRIMARY KEY, dec numeric(38,10), big bigint, js jsonb, jn json,
  ints int[], grid int[][], texts text[], decs numeric[], moods mood[], m mood, pos posint,
  born date, at timestamptz, local timestamp, t time, tz timetz, r real, f float8, n numeric,
  code char(5), codes char(4)[]);
CREATE TABLE lines (id int PRIMARY KEY, val_id bigint NOT NULL, amount numeric(38,10));
ALTER TABLE lines REPLICA IDENTITY FULL;
`;

export const fidelityRows = `
INSERT INTO vals VALUES
 (9007199254740993, 12345678901234567890.1234567891, 9223372036854775807,
  '{"big": 9007199254740993, "dec": 0.1000000000000000000001}', '{"n": 1.10, "e": 1E+400}',
  '{1,NULL,3}', '{{1,2},{3,4}}', '{"a b","c,d",NULL}', '{1.50,NULL}', '{happy,sad}', 'ok', 7,
  '0044-03-15 BC', '2024-01-02 03:04:05.123456+00', '0001-01-01 00:00:00 BC', '13:45:56.789', '13:45:56+02',
  'NaN', 'Infinity', '-Infinity', 'ab', '{ab,c}'),
 (2, NULL, -9223372036854775808, '[]', 'null', '{}', '{}', '{}', '{}', '{}', NULL, NULL,
  'infinity', '-infinity', 'infinity', '00:00:00', NULL, 1.5, 0.1, 'NaN', NULL, NULL);
INSERT INTO lines VALUES (1, 9007199254740993, 12345678901234567890.1234567891),
  (2, 9007199254740993, 0.0000000001), (3, 2, -1);
`;

/** What reaches the sink for row 9007199254740993, byte for byte. */
export const fidelityDoc1 =
  '{"id":9007199254740993,"dec":12345678901234567890.1234567891,"big":9223372036854775807,' +
  '"js":{"big":9007199254740993,"dec":0.1000000000000000000001},"jn":{"n":1.10,"e":1E+400},' +
  '"ints":[1,null,3],"grid":[[1,2],[3,4]],"texts":["a b","c,d",null],"decs":[1.50,null],' +
  '"moods":["happy","sad"],"m":"ok","pos":7,"born":"-0043-03-15","at":"2024-01-02T03:04:05.123456+00:00",' +
  '"local":"0000-01-01T00:00:00Z","t":"1970-01-01T13:45:56.789Z","tz":"1970-01-01T13:45:56+02:00",' +
  '"r":null,"f":null,"n":null,"code":"ab","codes":["ab","c"],' +
  '"lines":[{"amount":12345678901234567890.1234567891},{"amount":0.0000000001}],' +
  '"total":12345678901234567890.1234567892,"most":12345678901234567890.1234567891,"lineIds":[1,2]}';

export const fidelityDoc2 =
  '{"id":2,"dec":null,"big":-9223372036854775808,"js":[],"jn":null,"ints":[],"grid":[],"texts":[],' +
  '"decs":[],"moods":[],"m":null,"pos":null,"born":null,"at":null,"local":null,"t":"1970-01-01T00:00:00Z",' +
  '"tz":null,"r":1.5,"f":0.1,"n":null,"code":null,"codes":null,"lines":[{"amount":-1.0000000000}],' +
  '"total":-1.0000000000,"most":-1.0000000000,"lineIds":[3]}';

const s = (name: string, type: ScalarType): Field => ({
  kind: 'scalar',
  name,
  type,
  column: name,
  required: false,
  transforms: [],
});

export const fidelitySchema: IndexSchema = {
  version: 1,
  table: 'vals',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [
    ...(
      [
        ['id', 'long'],
        ['dec', 'decimal'],
        ['big', 'long'],
        ['js', 'json'],
        ['jn', 'json'],
        ['ints', 'integer'],
        ['grid', 'integer'],
        ['texts', 'keyword'],
        ['decs', 'decimal'],
        ['moods', 'enum'],
        ['m', 'keyword'],
        ['pos', 'integer'],
        ['born', 'date'],
        ['at', 'timestamp'],
        ['local', 'timestamp'],
        ['t', 'timestamp'],
        ['tz', 'timestamp'],
        ['r', 'float'],
        ['f', 'double'],
        ['n', 'decimal'],
        ['code', 'keyword'],
        ['codes', 'keyword'],
      ] as const
    ).map(([n, t]) => s(n, t)),
    {
      kind: 'join',
      verb: 'has_many',
      name: 'lines',
      table: 'lines',
      schema: 'public',
      primaryKey: 'id',
      foreignKey: 'val_id',
      filters: [],
      orderBy: [{ column: 'id', direction: 'asc' }],
      required: false,
      fields: [s('amount', 'decimal')],
    },
    ...(['sum', 'max'] as const).map(
      (fn): Field => ({
        kind: 'aggregate',
        fn,
        name: fn === 'sum' ? 'total' : 'most',
        table: 'lines',
        schema: 'public',
        column: 'amount',
        valueType: 'decimal',
        foreignKey: 'val_id',
        primaryKey: 'id',
        filters: [],
      }),
    ),
    {
      kind: 'aggregate',
      fn: 'ids',
      name: 'lineIds',
      table: 'lines',
      schema: 'public',
      elementType: 'long',
      foreignKey: 'val_id',
      primaryKey: 'id',
      filters: [],
    },
  ],
};
