// One descriptor per declared scalar type: the Postgres types it accepts, how
// the document SQL projects such a column, the JSON one value becomes, and the
// OpenSearch mapping. The builder, the mapping, the schema file parser and
// `flusso check` all read this table, so a new Postgres type touches one entry.
import type { ExactJson, JsonObject, ScalarType } from '@flusso/core';
import type { PgColumnType } from './pg-column-type.js';
import {
  binaryValue,
  boolValue,
  dateValue,
  numberValue,
  textValue,
  timestampValue,
} from './scalar-values.js';
import type { ValueNoteSink } from './value-notes.js';

export interface ScalarDescriptor {
  /** Postgres base types accepted (format_type without modifier); arrays of them too. */
  readonly postgres: readonly string[];
  /** Whether a Postgres enum type is accepted. */
  readonly enums: boolean;
  /** The JSON of one value; arrays are coerced element by element (unless `arraysAreValues`). */
  coerce(v: ExactJson, notes: ValueNoteSink): ExactJson;
  /** json and custom values are whole JSON values, arrays included. */
  readonly arraysAreValues: boolean;
  readonly mapping: JsonObject;
}

const TEXTS = ['text', 'character varying', 'character', 'citext', 'name'];
const SMALL = ['smallint'];
const INTS = [...SMALL, 'integer'];
const LONGS = [...INTS, 'bigint'];

function d(
  postgres: readonly string[],
  coerce: ScalarDescriptor['coerce'],
  mapping: JsonObject,
  more: Partial<Pick<ScalarDescriptor, 'enums' | 'arraysAreValues'>> = {},
): ScalarDescriptor {
  return { postgres, coerce, mapping, enums: false, arraysAreValues: false, ...more };
}

export const scalarDescriptors: Readonly<Record<ScalarType, ScalarDescriptor>> = {
  // Analyzers and subfields come from the mapping options (index-mapping.ts);
  // identifier always carries the code analyzer.
  text: d(TEXTS, textValue, { type: 'text' }, { enums: true }),
  identifier: d(TEXTS, textValue, { type: 'text', analyzer: 'flusso_code' }, { enums: true }),
  // Integer ids as keywords are exact (their text), a common choice for ids.
  keyword: d([...TEXTS, 'uuid', ...LONGS], textValue, { type: 'keyword' }, { enums: true }),
  enum: d(TEXTS, textValue, { type: 'keyword' }, { enums: true }),
  uuid: d(['uuid'], textValue, { type: 'keyword' }),
  boolean: d(['boolean'], boolValue, { type: 'boolean' }),
  short: d(SMALL, numberValue, { type: 'short' }),
  integer: d(INTS, numberValue, { type: 'integer' }),
  long: d(LONGS, numberValue, { type: 'long' }),
  float: d(['real'], numberValue, { type: 'float' }),
  double: d(['real', 'double precision', ...INTS], numberValue, { type: 'double' }),
  decimal: d(['numeric', 'money', ...LONGS], numberValue, { type: 'double' }),
  date: d(['date'], dateValue, { type: 'date' }),
  timestamp: d(
    [
      'timestamp without time zone',
      'timestamp with time zone',
      'time without time zone',
      'time with time zone',
    ],
    timestampValue,
    { type: 'date' },
  ),
  binary: d(['bytea'], binaryValue, { type: 'binary' }),
  json: d(['json', 'jsonb'], (v) => v, { type: 'object', enabled: false }, { arraysAreValues: true }),
  custom: d([], (v) => v, { type: 'keyword' }, { arraysAreValues: true }),
};

/** Whether `type` accepts a column of catalog type `pg` (custom: its declared `postgres` list). */
export function acceptsColumn(type: ScalarType, pg: PgColumnType, custom: readonly string[] = []): boolean {
  const desc = scalarDescriptors[type];
  if (type === 'custom')
    return custom.some((t) => t.toLowerCase() === pg.declared || t.toLowerCase() === pg.base);
  return desc.postgres.includes(pg.base) || (desc.enums && pg.isEnum);
}

/** How the document SQL projects column expression `c` of catalog type `pg`. */
export function projectColumn(type: ScalarType, c: string, pg: PgColumnType | undefined): string {
  const arr = pg?.isArray ? '[]' : '';
  if (type === 'binary' && !pg?.isArray) return `translate(encode(${c}, 'base64'), E'\\n', '')`;
  // char(n)'s cast to text drops the padding, as Postgres's own text output of it does.
  if (pg?.base === 'character') return `${c}::text${arr}`;
  // money prints with a currency symbol; as numeric it is an exact JSON number.
  if (pg?.base === 'money') return `${c}::numeric${arr}`;
  return c;
}

/**
 * Column expression `c` (catalog type `pg`) as sum/min/max/avg read it: the scalar
 * projection's value rules hold for aggregates too, so money is read as numeric (its
 * text carries a currency sign; avg(money) does not exist) and char(n) as text.
 */
export function aggregateArgument(c: string, pg: PgColumnType | undefined): string {
  if (pg?.isArray) return c;
  if (pg?.base === 'money') return `${c}::numeric`;
  if (pg?.base === 'character') return `${c}::text`;
  return c;
}

/** The JSON of a (possibly array, possibly multi-dimensional) value of `type`. */
export function coerceTyped(type: ScalarType, v: ExactJson, notes: ValueNoteSink): ExactJson {
  if (v === null) return null;
  const desc = scalarDescriptors[type];
  if (Array.isArray(v) && !desc.arraysAreValues) return v.map((x: ExactJson) => coerceTyped(type, x, notes));
  return desc.coerce(v, notes);
}
