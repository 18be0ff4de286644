// A declared key must identify one row: the table's primary key, a unique index
// over NOT NULL columns, or a superset of one. Otherwise rows sharing the key
// merge into one document (and later lose rows). `flusso check` reports it and
// `flusso run` refuses to start.
import { type Field, type IndexSchema, type KeyColumns, keyColumns } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import type { Finding } from './check-catalog.js';

interface DeclaredKey {
  readonly table: string;
  readonly columns: readonly string[];
  readonly path: string;
}

interface UniqueKey {
  readonly primary: boolean;
  readonly columns: readonly string[];
}

const UNIQUE_KEYS_SQL = `
SELECT n.nspname || '.' || c.relname AS t, i.indisprimary AS pk,
  array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n ORDER BY k.o) AS cols,
  (SELECT bool_and(a.attnotnull) FROM unnest(i.indkey::int2[]) k(n)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n) AS notnull
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
  AND (n.nspname || '.' || c.relname) = ANY($1::text[])`;

function nested(fields: readonly Field[]): boolean {
  return fields.some(
    (f) => f.kind === 'join' || f.kind === 'aggregate' || (f.kind === 'object' && nested(f.fields)),
  );
}

/** Keys that identify rows: the root's, and a related table's where a row is found or joined by it. */
function declaredKeys(schema: IndexSchema): DeclaredKey[] {
  const out: DeclaredKey[] = [
    {
      table: `${schema.schema}.${schema.table}`,
      columns: keyColumns(schema.primaryKey),
      path: 'primary_key',
    },
  ];
  const add = (schemaName: string, table: string, key: KeyColumns, path: string) =>
    out.push({ table: `${schemaName}.${table}`, columns: keyColumns(key), path: `${path}.primary_key` });
  const walk = (fields: readonly Field[], prefix: string) => {
    for (const f of fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      if (f.kind === 'object') walk(f.fields, path);
      if (f.kind === 'join') {
        if (f.verb === 'belongs_to' || f.verb === 'many_to_many' || nested(f.fields))
          add(f.schema, f.table, f.primaryKey, path);
        walk(f.fields, path);
      }
      if (f.kind === 'aggregate' && (f.fn === 'ids' || f.through)) add(f.schema, f.table, f.primaryKey, path);
    }
  };
  walk(schema.fields, '');
  return out;
}

const list = (cols: readonly string[]) => `(${cols.join(', ')})`;
const yamlKey = (cols: readonly string[]) => (cols.length === 1 ? cols[0] : `[${cols.join(', ')}]`);

function finding(index: string, key: DeclaredKey, keys: readonly UniqueKey[]): Finding {
  const primary = keys.find((k) => k.primary);
  const message = `primary_key ${list(key.columns)} is not a unique key of ${key.table}${primary ? ` (its primary key is ${list(primary.columns)})` : ' (it has no primary key or unique NOT NULL index)'}: rows sharing it would merge into one document`;
  return {
    level: 'error',
    index,
    path: key.path,
    message,
    fix: primary
      ? `declare primary_key: ${yamlKey(primary.columns)} (composite keys are supported; _id joins the values with ':')`
      : `ALTER TABLE ${key.table} ADD PRIMARY KEY ${list(key.columns)};`,
  };
}

/** Findings for declared keys that do not identify one row of their table. */
export async function checkKeys(db: Queryable, indexes: readonly BuilderIndex[]): Promise<Finding[]> {
  const wanted = indexes.map((i) => ({ name: i.name, keys: declaredKeys(i.schema) }));
  const tables = [...new Set(wanted.flatMap((w) => w.keys.map((k) => k.table)))];
  const res = await db.query(UNIQUE_KEYS_SQL, [tables]);
  const unique = new Map<string, UniqueKey[]>();
  for (const row of res.rows) {
    if (row.notnull !== true) continue;
    const keys = unique.get(String(row.t)) ?? [];
    keys.push({ primary: row.pk === true, columns: (row.cols as string[]).map(String) });
    unique.set(String(row.t), keys);
  }
  const present = new Set(
    (
      await db.query(
        "SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE (n.nspname || '.' || c.relname) = ANY($1::text[])",
        [tables],
      )
    ).rows.map((r) => String(r.t)),
  );
  const findings: Finding[] = [];
  for (const { name, keys } of wanted)
    for (const key of keys) {
      if (!present.has(key.table)) continue;
      const candidates = unique.get(key.table) ?? [];
      if (!candidates.some((u) => u.columns.every((c) => key.columns.includes(c))))
        findings.push(finding(name, key, candidates));
    }
  return findings;
}
