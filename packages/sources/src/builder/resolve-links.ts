// Reverse resolution plan: for every table an index reads, the "links" that map a
// changed row of it to root document ids. Walks joins at any depth, following
// has_one/has_many, belongs_to and many_to_many (junction and related table).
import type { Field, IndexSchema } from '@flusso/core';
import { col, table } from './sql-params.js';

export interface Link {
  /** `schema.table` of the changed table. */
  readonly table: string;
  /** The changed row's column whose values identify the affected parents. */
  readonly column: string;
  /** Maps `$1` (text[] of link values) to root ids; null = the values are root ids. */
  readonly sql: string | null;
}

interface Level {
  readonly from: string;
  readonly alias: string;
  readonly key: string;
}

export function resolveLinks(schema: IndexSchema): Link[] {
  const links: Link[] = [{ table: `${schema.schema}.${schema.table}`, column: schema.primaryKey, sql: null }];
  const root = `SELECT DISTINCT r.${q(schema.primaryKey)}::text AS id FROM ${table(schema.schema, schema.table)} r`;
  let n = 0;
  const rootLevel = { from: root, alias: 'r', key: schema.primaryKey };
  const viaKey = (level: Level, column: string, changed: string): Link => ({
    table: changed,
    column,
    sql:
      level.alias === 'r'
        ? null
        : `${level.from} WHERE ${col(level.alias, level.key)}::text = ANY($1::text[])`,
  });
  const walk = (fields: readonly Field[], level: Level) => {
    for (const f of fields) {
      if (f.kind === 'object') walk(f.fields, level);
      if (f.kind !== 'join' && f.kind !== 'aggregate') continue;
      n += 1;
      const j = `j${n}`;
      const related = `${f.schema}.${f.table}`;
      const relatedKey = f.primaryKey;
      if (f.through) {
        const junction = `${f.schema}.${f.through.table}`;
        const jt = `${table(f.schema, f.through.table)}`;
        links.push(viaKey(level, f.through.leftKey, junction));
        links.push({
          table: related,
          column: relatedKey,
          sql: `${level.from} WHERE EXISTS (SELECT 1 FROM ${jt} x WHERE ${col('x', f.through.leftKey)} = ${col(level.alias, level.key)} AND ${col('x', f.through.rightKey)}::text = ANY($1::text[]))`,
        });
        if (f.kind === 'join') {
          const from = `${level.from} JOIN ${jt} ${j}t ON ${col(`${j}t`, f.through.leftKey)} = ${col(level.alias, level.key)} JOIN ${table(f.schema, f.table)} ${j} ON ${col(j, relatedKey)} = ${col(`${j}t`, f.through.rightKey)}`;
          walk(f.fields, { from, alias: j, key: relatedKey });
        }
      } else if (f.kind === 'join' && f.verb === 'belongs_to') {
        const column = f.column ?? f.name;
        links.push({
          table: related,
          column: relatedKey,
          sql: `${level.from} WHERE ${col(level.alias, column)}::text = ANY($1::text[])`,
        });
        walk(f.fields, {
          from: `${level.from} JOIN ${table(f.schema, f.table)} ${j} ON ${col(j, relatedKey)} = ${col(level.alias, column)}`,
          alias: j,
          key: relatedKey,
        });
      } else {
        const fk = f.foreignKey ?? '';
        links.push(viaKey(level, fk, related));
        if (f.kind === 'join') {
          walk(f.fields, {
            from: `${level.from} JOIN ${table(f.schema, f.table)} ${j} ON ${col(j, fk)} = ${col(level.alias, level.key)}`,
            alias: j,
            key: relatedKey,
          });
        }
      }
    }
  };
  walk(schema.fields, rootLevel);
  return links;
}

function q(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
