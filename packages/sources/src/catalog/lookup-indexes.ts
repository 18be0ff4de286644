// The columns the document SQL looks rows up by, batch after batch (a child's
// foreign key, a junction's left key, a related table's key). Without an index
// leading with that column, every build scans the whole table: the builder
// stays correct but slows with the table's size, so `flusso check` warns.
import { type Field, type IndexSchema, keyColumns } from '@flusso/core';
import type { Queryable } from '../builder/pg-document-builder.js';

export interface LookupColumn {
  readonly table: string;
  readonly column: string;
  /** The document field whose SQL does the lookup. */
  readonly path: string;
}

export function lookupColumns(schema: IndexSchema): LookupColumn[] {
  const out: LookupColumn[] = [];
  const walk = (fields: readonly Field[], prefix: string) => {
    for (const f of fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (f.kind === 'object') walk(f.fields, path);
      if (f.kind !== 'join' && f.kind !== 'aggregate') continue;
      const related = `${f.schema}.${f.table}`;
      if (f.through) {
        out.push({ table: `${f.schema}.${f.through.table}`, column: lead(f.through.leftKey), path });
        out.push({ table: related, column: lead(f.primaryKey), path });
      } else if (f.kind === 'join' && f.verb === 'belongs_to') {
        out.push({ table: related, column: lead(f.primaryKey), path });
      } else if (f.foreignKey) {
        out.push({ table: related, column: lead(f.foreignKey), path });
      }
      if (f.kind === 'join') walk(f.fields, path);
    }
  };
  walk(schema.fields, '');
  return out;
}

/** A (composite) key's leading column: the one an index must lead with. */
function lead(key: Parameters<typeof keyColumns>[0]): string {
  return keyColumns(key)[0] ?? '';
}

/** A column name as SQL: bare when Postgres would keep it as written. */
export function sqlColumn(column: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(column) ? column : `"${column.replaceAll('"', '""')}"`;
}

/** `schema.table` → the columns some index (btree or other) of that table leads with. */
export async function indexLeadingColumns(db: Queryable): Promise<Map<string, Set<string>>> {
  const result = await db.query(
    `SELECT n.nspname || '.' || c.relname AS t, a.attname AS c
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
      WHERE i.indisvalid`,
  );
  const leading = new Map<string, Set<string>>();
  for (const row of result.rows) {
    const table = String(row.t);
    const set = leading.get(table) ?? new Set<string>();
    set.add(String(row.c));
    leading.set(table, set);
  }
  return leading;
}
