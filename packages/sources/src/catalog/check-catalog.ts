// Validates index schemas against the live catalog: tables and columns exist,
// replica identity lets a child's old parent be found, the publication covers
// every table, and the columns documents are looked up by are indexed. This is
// what `flusso check` prints.
import { type Field, type Filter, type IndexSchema, type KeyColumns, keyColumns } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import { COVERED_SQL } from '../capture/publication-state.js';
import { checkFieldTypes } from './check-field-types.js';
import { checkKeys } from './check-keys.js';
import { missingColumnHint, missingTableHint } from './folded-names.js';
import { indexLeadingColumns, lookupColumns, sqlColumn } from './lookup-indexes.js';
import { partitionFindings } from './partition-findings.js';
import { replicaIdentityFindings } from './replica-identity.js';
import { rootIdentityFindings } from './root-identity.js';

export interface Finding {
  readonly level: 'error' | 'warning';
  readonly index: string;
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
}

interface Need {
  readonly table: string;
  readonly column: string;
  readonly path: string;
}

function filterColumns(filters: readonly Filter[]): string[] {
  return filters.flatMap((f) => ('column' in f ? [f.column] : []));
}

function needs(schema: IndexSchema): { needs: Need[]; children: Set<string> } {
  const out: Need[] = [];
  const children = new Set<string>();
  const add = (table: string, columns: readonly (KeyColumns | undefined)[], path: string) => {
    for (const column of columns.flatMap((c) => keyColumns(c))) if (column) out.push({ table, column, path });
  };
  const walk = (fields: readonly Field[], table: string, prefix: string) => {
    for (const f of fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (f.kind === 'scalar' || f.kind === 'map') add(table, [f.column], path);
      else if (f.kind === 'geo') add(table, [f.column, f.lat, f.lon], path);
      else if (f.kind === 'object') walk(f.fields, table, path);
      else if (f.kind === 'join' || f.kind === 'aggregate') {
        const related = `${f.schema}.${f.table}`;
        add(
          related,
          [
            f.primaryKey,
            f.foreignKey,
            ...filterColumns(f.filters),
            f.kind === 'aggregate' ? f.column : undefined,
          ],
          path,
        );
        if (f.kind === 'join' && f.verb === 'belongs_to') add(table, [f.column], path);
        else children.add(related);
        if (f.through) {
          const junction = `${f.schema}.${f.through.table}`;
          add(junction, [f.through.leftKey, f.through.rightKey], path);
          children.add(junction);
        }
        if (f.kind === 'join') walk(f.fields, related, path);
      }
    }
  };
  const root = `${schema.schema}.${schema.table}`;
  add(root, [schema.primaryKey, schema.softDelete?.column, ...filterColumns(schema.filters)], '');
  walk(schema.fields, root, '');
  return { needs: out, children };
}

export async function checkCatalog(
  db: Queryable,
  indexes: readonly BuilderIndex[],
  publication: string,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const columns = await db.query(
    "SELECT table_schema || '.' || table_name AS t, column_name AS c FROM information_schema.columns",
  );
  const have = new Map<string, Set<string>>();
  for (const row of columns.rows) {
    const set = have.get(String(row.t)) ?? new Set<string>();
    set.add(String(row.c));
    have.set(String(row.t), set);
  }
  const identity = await db.query(
    "SELECT n.nspname || '.' || c.relname AS t, c.relreplident AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'",
  );
  const replident = new Map(identity.rows.map((r) => [String(r.t), String(r.r)]));
  const published = await db.query(COVERED_SQL, [publication]);
  const covered = new Set(published.rows.map((r) => String(r.key)));
  const indexed = await indexLeadingColumns(db);
  for (const { name, schema } of indexes) {
    const { needs: wanted, children } = needs(schema);
    const tables = new Set(wanted.map((n) => n.table));
    const existing = [...tables].filter((t) => have.has(t));
    findings.push(...(await replicaIdentityFindings(db, name, existing)));
    findings.push(...(await partitionFindings(db, { index: name, tables: existing, children, publication })));
    for (const table of tables) {
      if (!have.has(table))
        findings.push({ level: 'error', index: name, path: table, ...missingTableHint(table, have.keys()) });
      else if (!covered.has(table))
        findings.push({
          level: 'warning',
          index: name,
          path: table,
          message: `publication ${publication} does not cover ${table} (flusso adds it when manage_publication is on)`,
          fix: `ALTER PUBLICATION "${publication}" ADD TABLE ${table};`,
        });
    }
    for (const need of wanted) {
      if (have.has(need.table) && !have.get(need.table)?.has(need.column)) {
        findings.push({
          level: 'error',
          index: name,
          path: need.path || need.table,
          ...missingColumnHint(need.table, need.column, have.get(need.table) ?? []),
        });
      }
    }
    const warned = new Set<string>();
    for (const lookup of lookupColumns(schema)) {
      const key = `${lookup.table}.${lookup.column}`;
      if (!have.get(lookup.table)?.has(lookup.column) || indexed.get(lookup.table)?.has(lookup.column))
        continue;
      if (warned.has(key)) continue;
      warned.add(key);
      findings.push({
        level: 'warning',
        index: name,
        path: lookup.path,
        message: `no index leads with ${key}: every build of ${name} documents scans ${lookup.table}`,
        fix: `CREATE INDEX ON ${lookup.table} (${sqlColumn(lookup.column)});`,
      });
    }
    for (const child of children) {
      // Partitioned children are judged by their leaf partitions (partition-findings).
      if (replident.has(child) && replident.get(child) !== 'f') {
        findings.push({
          level: 'warning',
          index: name,
          path: child,
          message: `${child} has REPLICA IDENTITY ${replident.get(child) === 'd' ? 'DEFAULT' : 'not FULL'}: a re-parented or deleted row cannot rebuild its old parent`,
          fix: `ALTER TABLE ${child} REPLICA IDENTITY FULL;`,
        });
      }
    }
  }
  findings.push(
    ...(await checkKeys(db, indexes)),
    ...(await rootIdentityFindings(db, indexes)),
    ...(await checkFieldTypes(db, indexes)),
  );
  return findings;
}
