// What the catalog says a column holds, with domains resolved to their base
// type and arrays to their element: the builder projects by it and `flusso
// check` compares declared field types with it.
import type { Queryable } from '../builder/pg-document-builder.js';

export interface PgColumnType {
  /** format_type of the column as declared, e.g. `character(5)[]`, `my_domain`. */
  readonly declared: string;
  /** The element's base type without modifier, e.g. `character`, `integer`, `mood`. */
  readonly base: string;
  /** The base type is an enum. */
  readonly isEnum: boolean;
  /** The column is an array (of any number of dimensions) of `base`. */
  readonly isArray: boolean;
}

/** `schema.table.column` → its type. */
export type ColumnTypes = ReadonlyMap<string, PgColumnType>;

export const columnKey = (schema: string, table: string, column: string): string =>
  `${schema}.${table}.${column}`;

// Walks domain → base and array → element (a domain over an array, an array of
// a domain) until a plain type is reached.
const COLUMN_TYPES_SQL = `
WITH RECURSIVE cols AS (
  SELECT n.nspname AS s, c.relname AS t, a.attname AS col, a.atttypid AS ty, false AS arr, 0 AS depth,
         format_type(a.atttypid, a.atttypmod) AS declared
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attnum > 0 AND NOT a.attisdropped AND (n.nspname || '.' || c.relname) = ANY($1::text[])
  UNION ALL
  SELECT cols.s, cols.t, cols.col,
         CASE WHEN y.typtype = 'd' THEN y.typbasetype ELSE y.typelem END,
         cols.arr OR y.typtype <> 'd', cols.depth + 1, cols.declared
  FROM cols JOIN pg_type y ON y.oid = cols.ty
  WHERE (y.typtype = 'd' OR (y.typcategory = 'A' AND y.typelem <> 0)) AND cols.depth < 8
)
SELECT DISTINCT ON (s, t, col) s, t, col, declared, arr, format_type(cols.ty, NULL) AS base, y.typtype = 'e' AS is_enum
FROM cols JOIN pg_type y ON y.oid = cols.ty
ORDER BY s, t, col, depth DESC`;

/** Column types of every column of `tables` (`schema.table`). */
export async function loadColumnTypes(db: Queryable, tables: readonly string[]): Promise<ColumnTypes> {
  const res = await db.query(COLUMN_TYPES_SQL, [[...tables]]);
  const out = new Map<string, PgColumnType>();
  for (const row of res.rows) {
    out.set(columnKey(String(row.s), String(row.t), String(row.col)), {
      declared: String(row.declared),
      base: String(row.base),
      isEnum: row.is_enum === true,
      isArray: row.arr === true,
    });
  }
  return out;
}
