// A root's declared key must ride in every old tuple Postgres logs for it: a
// delete, and an update that changes the key, name their document only through
// the old tuple, and it carries the replica identity's columns and no others
// (all of them under FULL). A key declared on another unique index than the
// primary key, under REPLICA IDENTITY DEFAULT, would leave the document of every
// deleted or re-keyed row in the index for good. `check` reports it; `run` refuses.
import { keyColumns } from '@flusso/core';
import type { BuilderIndex, Queryable } from '../builder/pg-document-builder.js';
import type { Finding } from './check-catalog.js';

// The table and its leaf partitions (writes land there), each with the columns its
// old tuples carry; FULL and NOTHING (reported by replica-identity.ts) are skipped.
const IDENTITY_SQL = `
  SELECT format('%s.%s', n.nspname, c.relname) AS relation, c.relreplident AS r,
         array(SELECT a.attname::text FROM pg_index i
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = c.oid
                  AND CASE c.relreplident WHEN 'd' THEN i.indisprimary ELSE i.indisreplident END) AS cols,
         (SELECT ci.relname FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
           WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indpred IS NULL
             AND i.indexprs IS NULL AND i.indnatts = cardinality($2::text[])
             AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                               AND a.attnum = ANY (i.indkey) AND (NOT a.attnotnull OR a.attname <> ALL ($2::text[])))
           ORDER BY ci.relname LIMIT 1) AS candidate
    FROM (SELECT to_regclass(format('%I.%I', VARIADIC $1::text[])) AS oid) w
    JOIN LATERAL (SELECT w.oid AS relid UNION SELECT relid FROM pg_partition_tree(w.oid) WHERE isleaf) p ON true
    JOIN pg_class c ON c.oid = p.relid AND c.relkind = 'r' AND c.relreplident IN ('d', 'i')
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE w.oid IS NOT NULL
   ORDER BY 1`;

/** Findings for roots whose replica identity does not carry the declared key. */
export async function rootIdentityFindings(
  db: Queryable,
  indexes: readonly BuilderIndex[],
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const { name, schema } of indexes) {
    const declared = keyColumns(schema.primaryKey);
    const res = await db.query(IDENTITY_SQL, [[schema.schema, schema.table], declared]);
    for (const row of res.rows) {
      const cols = (row.cols as string[]).map(String);
      // No identity columns at all is replica-identity.ts's finding (nothing is published).
      if (cols.length === 0 || declared.every((c) => cols.includes(c))) continue;
      const identity = row.r === 'd' ? 'DEFAULT' : 'USING INDEX';
      findings.push({
        level: 'error',
        index: name,
        path: 'primary_key',
        message: `${String(row.relation)} has REPLICA IDENTITY ${identity}: its deletes carry (${cols.join(', ')}), not the declared primary_key (${declared.join(', ')}), so a deleted or re-keyed row's document would stay in the index`,
        fix: `ALTER TABLE ${String(row.relation)} REPLICA IDENTITY ${row.candidate ? `USING INDEX ${String(row.candidate)}` : 'FULL'};`,
      });
    }
  }
  return findings;
}
