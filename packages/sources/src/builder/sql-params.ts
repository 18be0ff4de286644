// Collects bind parameters while SQL text is generated: values are never
// spliced into SQL, identifiers always go through quoteIdent.
import {
  type Filter,
  FlussoError,
  type JsonValue,
  type KeyColumns,
  keyColumns,
  quoteIdent,
} from '@flusso/core';

export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly offset = 0) {}

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.offset + this.values.length}`;
  }
}

export function col(alias: string, column: string): string {
  return `${alias}.${quoteIdent(column)}`;
}

export function table(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function scalarParam(value: JsonValue | undefined): unknown {
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One filter as SQL over `alias`; operands compare by the column's catalog type. */
export function filterSql(filter: Filter, alias: string, params: SqlParams): string {
  if ('raw' in filter) return `(${filter.raw})`;
  const c = col(alias, filter.column);
  const v = filter.value;
  switch (filter.op) {
    case 'eq':
      return `${c} = ${params.add(scalarParam(v))}`;
    case 'neq':
      return `${c} IS DISTINCT FROM ${params.add(scalarParam(v))}`;
    case 'lt':
      return `${c} < ${params.add(scalarParam(v))}`;
    case 'lte':
      return `${c} <= ${params.add(scalarParam(v))}`;
    case 'gt':
      return `${c} > ${params.add(scalarParam(v))}`;
    case 'gte':
      return `${c} >= ${params.add(scalarParam(v))}`;
    case 'like':
      return `${c}::text LIKE ${params.add(scalarParam(v))}`;
    case 'ilike':
      return `${c}::text ILIKE ${params.add(scalarParam(v))}`;
    case 'in':
    case 'not_in': {
      if (!Array.isArray(v))
        throw new FlussoError(
          'schema_invalid',
          `filter on ${filter.column}: ${filter.op} needs a list value`,
        );
      const any = `${c} = ANY(${params.add(v.map((x) => scalarParam(x)))})`;
      return filter.op === 'in' ? any : `NOT (${any})`;
    }
    case 'between': {
      if (!Array.isArray(v) || v.length !== 2)
        throw new FlussoError('schema_invalid', `filter on ${filter.column}: between needs [low, high]`);
      return `${c} BETWEEN ${params.add(scalarParam(v[0]))} AND ${params.add(scalarParam(v[1]))}`;
    }
    case 'is_null':
      return `${c} IS NULL`;
    case 'is_not_null':
      return `${c} IS NOT NULL`;
  }
}

export function whereAll(filters: readonly Filter[], alias: string, params: SqlParams): string {
  return filters.map((f) => ` AND ${filterSql(f, alias, params)}`).join('');
}

/** `a.x1 = b.y1 AND a.x2 = b.y2`: a (possibly composite) key equality; arity must agree. */
export function keysEqual(
  a: string,
  left: KeyColumns | undefined,
  b: string,
  right: KeyColumns | undefined,
): string {
  const l = keyColumns(left);
  const r = keyColumns(right);
  if (l.length === 0 || l.length !== r.length)
    throw new FlussoError(
      'schema_invalid',
      `key columns (${l.join(', ')}) and (${r.join(', ')}) do not pair up: a composite key needs as many columns on each side`,
    );
  return l.map((c, i) => `${col(a, c)} = ${col(b, r[i] ?? '')}`).join(' AND ');
}

/** A key's document-id text: the column's text, or the parts' texts joined with ':'. */
export function keyText(alias: string, key: KeyColumns): string {
  const cols = keyColumns(key).map((c) => `${col(alias, c)}::text`);
  return cols.length === 1 ? (cols[0] ?? '') : `concat_ws(':', ${cols.join(', ')})`;
}
