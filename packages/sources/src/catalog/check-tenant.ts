// `tenant: { column }` checks: the tenant column exists and is NOT NULL on the
// table that holds it (the root, or the end of the belongs_to path), and every
// other joined table can reach the tenant (carries the tenant column itself);
// the tables that cannot are reported, since their rows are attributed to a
// tenant only through the join.
import { type Field, type IndexSchema, tenantDocumentField } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import type { Finding } from './check-catalog.js';

const COLUMNS_SQL = `SELECT table_schema || '.' || table_name AS t, column_name AS c, is_nullable AS n
  FROM information_schema.columns`;

/** The table holding the tenant column: the root, or the end of the path. */
function tenantTable(schema: IndexSchema): string {
  let table = `${schema.schema}.${schema.table}`;
  let level: readonly Field[] = schema.fields;
  for (const step of schema.tenant?.path ?? []) {
    const join = level.find((f) => f.name === step);
    if (join?.kind !== 'join') return table;
    table = `${join.schema}.${join.table}`;
    level = join.fields;
  }
  return table;
}

/** Every table a document reads besides the root, with the field path that reads it. */
function joinedTables(
  fields: readonly Field[],
  prefix: string,
  out: Map<string, string>,
): Map<string, string> {
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.name}` : f.name;
    if (f.name === tenantDocumentField && prefix === '') continue;
    if (f.kind === 'object') joinedTables(f.fields, path, out);
    if (f.kind === 'join' || f.kind === 'aggregate') {
      if (!out.has(`${f.schema}.${f.table}`)) out.set(`${f.schema}.${f.table}`, path);
      if (f.through && !out.has(`${f.schema}.${f.through.table}`))
        out.set(`${f.schema}.${f.through.table}`, path);
      if (f.kind === 'join') joinedTables(f.fields, path, out);
    }
  }
  return out;
}

export async function checkTenant(db: Queryable, indexes: readonly BuilderIndex[]): Promise<Finding[]> {
  if (!indexes.some((i) => i.schema.tenant !== undefined)) return [];
  const rows = (await db.query(COLUMNS_SQL)).rows;
  const nullable = new Map(rows.map((r) => [`${String(r.t)}.${String(r.c)}`, String(r.n) === 'YES']));
  const findings: Finding[] = [];
  for (const { name, schema } of indexes) {
    const tenant = schema.tenant;
    if (tenant === undefined) continue;
    const holder = tenantTable(schema);
    const key = `${holder}.${tenant.column}`;
    if (!nullable.has(key))
      findings.push({
        level: 'error',
        index: name,
        path: 'tenant',
        message: `tenant column ${key} does not exist`,
      });
    else if (nullable.get(key) === true)
      findings.push({
        level: 'error',
        index: name,
        path: 'tenant',
        message: `tenant column ${key} is nullable: every document needs a tenant`,
        fix: `ALTER TABLE ${holder} ALTER COLUMN ${tenant.column} SET NOT NULL;`,
      });
    for (const [table, path] of joinedTables(schema.fields, '', new Map())) {
      if (table === holder || nullable.has(`${table}.${tenant.column}`)) continue;
      findings.push({
        level: 'warning',
        index: name,
        path,
        message: `${table} cannot reach the tenant (no ${tenant.column} column): its rows are attributed to a tenant only through the join`,
        fix: `add ${tenant.column} to ${table} (and to the join's filters), or accept that the join key alone scopes it`,
      });
    }
  }
  return findings;
}
