// Reverse resolution plan: for every table an index reads, the "links" that map a
// changed row of it to root document ids. Walks joins at any depth, following
// has_one/has_many, belongs_to and many_to_many (junction and related table).
// Keys may be composite: a link reads a tuple of columns, paired by position.
import { type Field, type IndexSchema, type KeyColumns, keyColumns } from '@flusso/core';
import { col, keysEqual, keyText, table } from './sql-params.js';

export interface Link {
  /** `schema.table` of the changed table. */
  readonly table: string;
  /** The changed row's columns whose values identify the affected parents. */
  readonly columns: readonly string[];
  /**
   * Maps `$1..$n` (text[] per column, tuples by position) to root ids; null = the
   * values are the root key itself (the id is their texts joined with ':').
   */
  readonly sql: string | null;
}

interface Level {
  readonly from: string;
  readonly alias: string;
  readonly key: KeyColumns;
}

/** The rows of `alias` whose `columns` tuple is one of the `$1..$n` text tuples. */
function tupleIn(alias: string, columns: KeyColumns): string {
  const cols = keyColumns(columns);
  if (cols.length === 1) return `${col(alias, cols[0] ?? '')}::text = ANY($1::text[])`;
  const texts = cols.map((c) => `${col(alias, c)}::text`).join(', ');
  const arrays = cols.map((_, i) => `$${i + 1}::text[]`).join(', ');
  return `(${texts}) IN (SELECT * FROM unnest(${arrays}))`;
}

function viaKey(level: Level, columns: KeyColumns, changed: string): Link {
  return {
    table: changed,
    columns: keyColumns(columns),
    sql: level.alias === 'r' ? null : `${level.from} WHERE ${tupleIn(level.alias, level.key)}`,
  };
}

export function resolveLinks(schema: IndexSchema): Link[] {
  const links: Link[] = [
    { table: `${schema.schema}.${schema.table}`, columns: keyColumns(schema.primaryKey), sql: null },
  ];
  const root = `SELECT DISTINCT ${keyText('r', schema.primaryKey)} AS id FROM ${table(schema.schema, schema.table)} r`;
  let n = 0;
  const walk = (fields: readonly Field[], level: Level) => {
    for (const f of fields) {
      if (f.kind === 'object') walk(f.fields, level);
      if (f.kind !== 'join' && f.kind !== 'aggregate') continue;
      n += 1;
      const j = `j${n}`;
      const related = `${f.schema}.${f.table}`;
      const relatedKey = f.primaryKey;
      const rt = table(f.schema, f.table);
      if (f.through) {
        const jt = table(f.schema, f.through.table);
        links.push(viaKey(level, f.through.leftKey, `${f.schema}.${f.through.table}`));
        links.push({
          table: related,
          columns: keyColumns(relatedKey),
          sql: `${level.from} WHERE EXISTS (SELECT 1 FROM ${jt} x WHERE ${keysEqual('x', f.through.leftKey, level.alias, level.key)} AND ${tupleIn('x', f.through.rightKey)})`,
        });
        if (f.kind === 'join') {
          const from = `${level.from} JOIN ${jt} ${j}t ON ${keysEqual(`${j}t`, f.through.leftKey, level.alias, level.key)} JOIN ${rt} ${j} ON ${keysEqual(j, relatedKey, `${j}t`, f.through.rightKey)}`;
          walk(f.fields, { from, alias: j, key: relatedKey });
        }
      } else if (f.kind === 'join' && f.verb === 'belongs_to') {
        const column = f.column ?? f.name;
        links.push({
          table: related,
          columns: keyColumns(relatedKey),
          sql: `${level.from} WHERE ${tupleIn(level.alias, column)}`,
        });
        walk(f.fields, {
          from: `${level.from} JOIN ${rt} ${j} ON ${keysEqual(j, relatedKey, level.alias, column)}`,
          alias: j,
          key: relatedKey,
        });
      } else {
        links.push(viaKey(level, f.foreignKey ?? '', related));
        if (f.kind === 'join') {
          walk(f.fields, {
            from: `${level.from} JOIN ${rt} ${j} ON ${keysEqual(j, f.foreignKey, level.alias, level.key)}`,
            alias: j,
            key: relatedKey,
          });
        }
      }
    }
  };
  walk(schema.fields, { from: root, alias: 'r', key: schema.primaryKey });
  return links;
}
