// One SQL statement that builds every document of a batch of root ids with
// json_build_object / json_agg: joins at any depth, filters, order, limits,
// aggregates. Numbers stay JSON numbers (Postgres prints every digit; the
// builder reads the text losslessly); columns project by their catalog type.
import type { AggregateField, Field, IndexSchema, JoinField, ScalarField } from '@flusso/core';
import type { ColumnTypes } from '../types/pg-column-type.js';
import { projectColumn } from '../types/scalar-descriptors.js';
import { col, filterSql, type SqlParams, table, whereAll } from './sql-params.js';

interface Ctx {
  readonly params: SqlParams;
  readonly types: ColumnTypes;
  next: number;
  /** `schema.table` of each row alias in scope. */
  readonly tables: Map<string, string>;
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

function joinExpr(join: JoinField, parent: string, parentKey: string, ctx: Ctx): string {
  const j = alias(ctx);
  ctx.tables.set(j, `${join.schema}.${join.table}`);
  const t = table(join.schema, join.table);
  const filters = whereAll(join.filters, j, ctx.params);
  const body = objectExpr(join.fields, j, join.primaryKey, ctx);
  if (join.verb === 'belongs_to') {
    return `(SELECT ${body} FROM ${t} ${j} WHERE ${col(j, join.primaryKey)} = ${col(parent, join.column ?? join.name)}${filters} LIMIT 1)`;
  }
  if (join.verb === 'has_one') {
    return `(SELECT ${body} FROM ${t} ${j} WHERE ${col(j, join.foreignKey ?? '')} = ${col(parent, parentKey)}${filters}${orderSql(join, j)} LIMIT 1)`;
  }
  const limit = join.limit ? ` LIMIT ${join.limit}` : '';
  const link =
    join.verb === 'many_to_many' && join.through
      ? `FROM ${t} ${j} JOIN ${table(join.schema, join.through.table)} ${j}t ON ${col(`${j}t`, join.through.rightKey)} = ${col(j, join.primaryKey)} WHERE ${col(`${j}t`, join.through.leftKey)} = ${col(parent, parentKey)}`
      : `FROM ${t} ${j} WHERE ${col(j, join.foreignKey ?? '')} = ${col(parent, parentKey)}`;
  const inner = `SELECT ${j}.* ${link}${filters}${orderSql(join, j)}${limit}`;
  return `COALESCE((SELECT json_agg(${body}${orderSql(join, j)}) FROM (${inner}) ${j}), '[]'::json)`;
}

function aggregateExpr(agg: AggregateField, parent: string, parentKey: string, ctx: Ctx): string {
  const x = alias(ctx);
  const from = agg.through
    ? `FROM ${table(agg.schema, agg.table)} ${x} JOIN ${table(agg.schema, agg.through.table)} ${x}t ON ${col(`${x}t`, agg.through.rightKey)} = ${col(x, agg.primaryKey)} WHERE ${col(`${x}t`, agg.through.leftKey)} = ${col(parent, parentKey)}`
    : `FROM ${table(agg.schema, agg.table)} ${x} WHERE ${col(x, agg.foreignKey ?? '')} = ${col(parent, parentKey)}`;
  const filters = whereAll(agg.filters, x, ctx.params);
  switch (agg.fn) {
    case 'count':
      return `(SELECT count(*) ${from}${filters})`;
    case 'ids':
      return `COALESCE((SELECT json_agg(${col(x, agg.primaryKey)} ORDER BY ${col(x, agg.primaryKey)}) ${from}${filters}), '[]'::json)`;
    default:
      return `(SELECT ${agg.fn}(${col(x, agg.column ?? '')}) ${from}${filters})`;
  }
}

function fieldExpr(field: Field, a: string, key: string, ctx: Ctx): string | null {
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
function objectExpr(fields: readonly Field[], a: string, key: string, ctx: Ctx): string {
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

/** `$1` is the array of root keys, cast to `keyType` so the primary-key index is used. */
export function documentQuery(
  schema: IndexSchema,
  keyType: string,
  params: SqlParams,
  types: ColumnTypes = new Map(),
): DocumentQuery {
  const r = 'r';
  const ctx: Ctx = { params, types, next: 0, tables: new Map([[r, `${schema.schema}.${schema.table}`]]) };
  const doc = objectExpr(schema.fields, r, schema.primaryKey, ctx);
  const sd = schema.softDelete;
  const deleted = sd
    ? `(${col(r, sd.column)} IS NOT NULL AND ${col(r, sd.column)}::text NOT IN ('false', 'f')${sd.when.map((f) => ` AND ${filterSql(f, r, params)}`).join('')})`
    : 'false';
  const text =
    `SELECT ${col(r, schema.primaryKey)}::text AS id, ${deleted} AS deleted, (${doc})::text AS doc ` +
    `FROM ${table(schema.schema, schema.table)} ${r} WHERE ${col(r, schema.primaryKey)} = ANY($1::${keyType}[])${whereAll(schema.filters, r, params)}`;
  return { text, params: params.values };
}
