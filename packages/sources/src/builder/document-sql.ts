// One SQL statement that builds every document of a batch of root ids with
// json_build_object / json_agg: joins at any depth, filters, order, limits,
// aggregates. Numbers stay JSON numbers (Postgres prints every digit; the
// builder reads the text losslessly); columns project by their catalog type.
import {
  type AggregateField,
  type Field,
  type IndexSchema,
  type JoinField,
  type KeyColumns,
  keyColumns,
  type ScalarField,
} from '@flusso/core';
import type { ColumnTypes } from '../types/pg-column-type.js';
import { aggregateArgument, projectColumn } from '../types/scalar-descriptors.js';
import { AggregateGroups } from './aggregate-groups.js';
import { col, filterSql, keysEqual, keyText, type SqlParams, table, whereAll } from './sql-params.js';

interface Ctx {
  readonly params: SqlParams;
  readonly types: ColumnTypes;
  next: number;
  /** `schema.table` of each row alias in scope. */
  readonly tables: Map<string, string>;
  /** The shared aggregate scans of each row alias. */
  readonly groups: Map<string, AggregateGroups>;
}

/** A row's object, and the LATERAL scans its aggregates share (to join after its FROM). */
function rowObject(
  fields: readonly Field[],
  a: string,
  key: KeyColumns,
  ctx: Ctx,
): { body: string; laterals: string } {
  const groups = new AggregateGroups(fields);
  ctx.groups.set(a, groups);
  const body = objectExpr(fields, a, key, ctx);
  return { body, laterals: groups.laterals() };
}

function alias(ctx: Ctx): string {
  ctx.next += 1;
  return `j${ctx.next}`;
}

function scalarExpr(field: ScalarField, a: string, ctx: Ctx): string {
  const pg = ctx.types.get(`${ctx.tables.get(a) ?? ''}.${field.column}`);
  return projectColumn(field.type, col(a, field.column), pg);
}

function orderSql(join: JoinField, a: string): string {
  return join.orderBy.length === 0
    ? ''
    : ` ORDER BY ${join.orderBy.map((o) => `${col(a, o.column)} ${o.direction.toUpperCase()}`).join(', ')}`;
}

function joinExpr(join: JoinField, parent: string, parentKey: KeyColumns, ctx: Ctx): string {
  const j = alias(ctx);
  ctx.tables.set(j, `${join.schema}.${join.table}`);
  const t = table(join.schema, join.table);
  const filters = whereAll(join.filters, j, ctx.params);
  const { body, laterals } = rowObject(join.fields, j, join.primaryKey, ctx);
  if (join.verb === 'belongs_to') {
    return `(SELECT ${body} FROM ${t} ${j}${laterals} WHERE ${keysEqual(j, join.primaryKey, parent, join.column ?? join.name)}${filters} LIMIT 1)`;
  }
  if (join.verb === 'has_one') {
    return `(SELECT ${body} FROM ${t} ${j}${laterals} WHERE ${keysEqual(j, join.foreignKey, parent, parentKey)}${filters}${orderSql(join, j)} LIMIT 1)`;
  }
  const limit = join.limit ? ` LIMIT ${join.limit}` : '';
  const link =
    join.verb === 'many_to_many' && join.through
      ? `FROM ${t} ${j} JOIN ${table(join.schema, join.through.table)} ${j}t ON ${keysEqual(`${j}t`, join.through.rightKey, j, join.primaryKey)} WHERE ${keysEqual(`${j}t`, join.through.leftKey, parent, parentKey)}`
      : `FROM ${t} ${j} WHERE ${keysEqual(j, join.foreignKey, parent, parentKey)}`;
  // The order matters to the inner rows only when a limit picks them (json_agg orders its
  // input itself); without one, the inner query stays simple enough for the planner to flatten.
  const inner = `SELECT ${j}.* ${link}${filters}${limit === '' ? '' : `${orderSql(join, j)}${limit}`}`;
  return `COALESCE((SELECT json_agg(${body}${orderSql(join, j)}) FROM (${inner}) ${j}${laterals}), '[]'::json)`;
}

function aggregateExpr(agg: AggregateField, parent: string, parentKey: KeyColumns, ctx: Ctx): string {
  const groups = ctx.groups.get(parent);
  const open = () => {
    const x = alias(ctx);
    const from = agg.through
      ? `FROM ${table(agg.schema, agg.table)} ${x} JOIN ${table(agg.schema, agg.through.table)} ${x}t ON ${keysEqual(`${x}t`, agg.through.rightKey, x, agg.primaryKey)} WHERE ${keysEqual(`${x}t`, agg.through.leftKey, parent, parentKey)}`
      : `FROM ${table(agg.schema, agg.table)} ${x} WHERE ${keysEqual(x, agg.foreignKey, parent, parentKey)}`;
    return { x, from };
  };
  if (groups?.shares(agg)) {
    // Its scan's rows, filtered for this aggregate alone.
    const scan = groups.scan(agg, () => {
      const { x, from } = open();
      return { alias: `${x}a`, from, rows: x };
    });
    const filters = agg.filters.map((f) => filterSql(f, scan.rows, ctx.params)).join(' AND ');
    const call = aggregateCall(agg, scan.rows, ctx);
    const ref = groups.add(agg, filters === '' ? call : `${call} FILTER (WHERE ${filters})`);
    return agg.fn === 'ids' ? `COALESCE(${ref}, '[]'::json)` : ref;
  }
  const { x, from } = open();
  const filters = whereAll(agg.filters, x, ctx.params);
  const call = aggregateCall(agg, x, ctx);
  return agg.fn === 'ids'
    ? `COALESCE((SELECT ${call} ${from}${filters}), '[]'::json)`
    : `(SELECT ${call} ${from}${filters})`;
}

/** The aggregate over rows at alias `x`. */
function aggregateCall(agg: AggregateField, x: string, ctx: Ctx): string {
  switch (agg.fn) {
    case 'count':
      return 'count(*)';
    case 'ids':
      return `json_agg(${idsExpr(x, agg.primaryKey)} ORDER BY ${keyColumns(agg.primaryKey)
        .map((c) => col(x, c))
        .join(', ')})`;
    default: {
      const pg = ctx.types.get(`${agg.schema}.${agg.table}.${agg.column ?? ''}`);
      return `${agg.fn}(${aggregateArgument(col(x, agg.column ?? ''), pg)})`;
    }
  }
}

/** `ids` elements: a single key as its JSON value, a composite key as its id text. */
function idsExpr(x: string, key: KeyColumns): string {
  return typeof key === 'string' ? col(x, key) : keyText(x, key);
}

function fieldExpr(field: Field, a: string, key: KeyColumns, ctx: Ctx): string | null {
  switch (field.kind) {
    case 'scalar':
      return scalarExpr(field, a, ctx);
    case 'constant':
      return null;
    case 'object':
      return objectExpr(field.fields, a, key, ctx);
    case 'map':
      return col(a, field.column);
    case 'geo':
      return field.column
        ? col(a, field.column)
        : `CASE WHEN ${col(a, field.lat ?? '')} IS NULL OR ${col(a, field.lon ?? '')} IS NULL THEN NULL ELSE json_build_object('lat', ${col(a, field.lat ?? '')}, 'lon', ${col(a, field.lon ?? '')}) END`;
    case 'join':
      return joinExpr(field, a, key, ctx);
    case 'aggregate':
      return aggregateExpr(field, a, key, ctx);
  }
}

/** json_build_object over `fields` of the row at alias `a` (whose key column is `key`). */
function objectExpr(fields: readonly Field[], a: string, key: KeyColumns, ctx: Ctx): string {
  const parts: string[] = [];
  for (const field of fields) {
    const expr = fieldExpr(field, a, key, ctx);
    if (expr !== null) parts.push(`'${field.name}', ${expr}`);
  }
  return parts.length === 0 ? "'{}'::json" : `json_build_object(${parts.join(', ')})`;
}

export interface DocumentQuery {
  readonly text: string;
  /** Bind values after $1 (the id array). */
  readonly params: readonly unknown[];
}

// Key types whose text never holds ':', so a composite id splits back unambiguously.
const COLON_FREE = /^(smallint|integer|bigint|numeric|real|double precision|uuid|boolean|date)\b/;

/**
 * How the root rows of `$1` (document ids) are found. One column: `= ANY($1::type[])`.
 * Composite: ids split back into typed parts and joined, so the key's index is
 * used; when a leading part could itself hold ':', the ids are matched as text.
 */
function rootMatch(r: string, key: KeyColumns, keyTypes: readonly string[]): { join: string; where: string } {
  const cols = keyColumns(key);
  if (cols.length === 1) return { join: '', where: `${col(r, cols[0] ?? '')} = ANY($1::${keyTypes[0]}[])` };
  const n = cols.length;
  if (!keyTypes.slice(0, -1).every((t) => COLON_FREE.test(t)))
    return { join: '', where: `${keyText(r, key)} = ANY($1::text[])` };
  const parts = keyTypes.map((t, i) =>
    i < n - 1
      ? `split_part(i.v, ':', ${i + 1})::${t} AS k${i}`
      : `substring(i.v from '^(?:[^:]*:){${n - 1}}(.*)$')::${t} AS k${i}`,
  );
  const on = cols.map((c, i) => `${col(r, c)} = k.k${i}`).join(' AND ');
  return {
    join: ` JOIN (SELECT ${parts.join(', ')} FROM unnest($1::text[]) AS i(v)) k ON ${on}`,
    where: 'true',
  };
}

/** `$1` is the array of document ids; `keyTypes` the root key columns' types, in key order. */
export function documentQuery(
  schema: IndexSchema,
  keyTypes: readonly string[],
  params: SqlParams,
  types: ColumnTypes = new Map(),
): DocumentQuery {
  const r = 'r';
  const ctx: Ctx = {
    params,
    types,
    next: 0,
    tables: new Map([[r, `${schema.schema}.${schema.table}`]]),
    groups: new Map(),
  };
  const { body: doc, laterals } = rowObject(schema.fields, r, schema.primaryKey, ctx);
  const sd = schema.softDelete;
  const deleted = sd
    ? `(${col(r, sd.column)} IS NOT NULL AND ${col(r, sd.column)}::text NOT IN ('false', 'f')${sd.when.map((f) => ` AND ${filterSql(f, r, params)}`).join('')})`
    : 'false';
  const match = rootMatch(r, schema.primaryKey, keyTypes);
  const text =
    `SELECT ${keyText(r, schema.primaryKey)} AS id, ${deleted} AS deleted, (${doc})::text AS doc ` +
    `FROM ${table(schema.schema, schema.table)} ${r}${match.join}${laterals} WHERE ${match.where}${whereAll(schema.filters, r, params)}`;
  return { text, params: params.values };
}
