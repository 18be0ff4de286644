// Replica identity of every table flusso publishes. Once a table is in a
// publication that publishes updates and deletes, Postgres refuses the
// application's own UPDATE and DELETE on it unless it has a replica identity
// (a primary key, REPLICA IDENTITY USING INDEX, or FULL). So a table without
// one is refused by `flusso check` and `flusso run`, and never published.
// Postgres 18 also refuses them on a REPLICA IDENTITY FULL table with a virtual
// generated column (no publication can publish one), so FULL is no identity there.
// A partitioned table is checked through its leaf partitions: writes land there.
import { FlussoError } from '@flusso/core';
import type { Queryable } from '../builder/pg-document-builder.js';
import type { Finding } from './check-catalog.js';

/** A relation (the wanted table or one of its leaf partitions) without a usable replica identity. */
export interface IdentityGap {
  /** The table flusso would publish (`schema.table`). */
  readonly table: string;
  /** The relation writes would fail on: the table itself or a leaf partition of it. */
  readonly relation: string;
  /** A unique index on not-null columns that could serve as the replica identity, if any. */
  readonly candidateIndex: string | null;
  /** REPLICA IDENTITY FULL over a virtual generated column (Postgres 18), not a missing identity. */
  readonly fullWithVirtual: boolean;
  /** Whether the relation has a primary key (REPLICA IDENTITY DEFAULT would use it). */
  readonly hasPrimaryKey: boolean;
}

const GAPS_SQL = `
  WITH wanted AS (
    SELECT w.t, to_regclass(format('%I.%I', split_part(w.t, '.', 1), split_part(w.t, '.', 2))) AS oid
      FROM unnest($1::text[]) AS w(t)
  )
  SELECT w.t AS wanted, format('%s.%s', n.nspname, c.relname) AS relation,
         (SELECT ci.relname FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
           WHERE i.indrelid = c.oid AND i.indisunique AND i.indimmediate AND i.indpred IS NULL
             AND i.indexprs IS NULL
             AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                               AND a.attnum = ANY (i.indkey) AND NOT a.attnotnull)
           ORDER BY ci.relname LIMIT 1) AS candidate,
         c.relreplident = 'f' AS full_identity,
         EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk
    FROM wanted w
    JOIN LATERAL (SELECT w.oid AS relid UNION SELECT relid FROM pg_partition_tree(w.oid) WHERE isleaf) p ON true
    JOIN pg_class c ON c.oid = p.relid AND c.relkind = 'r'
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE w.oid IS NOT NULL
     AND NOT ((c.relreplident = 'f' AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                    AND a.attgenerated = 'v' AND a.attnum > 0 AND NOT a.attisdropped))
          OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))
          OR (c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))
   ORDER BY 1, 2`;

/** Relations among `tables` (`schema.table`, partitions included) that lack a usable replica identity. */
export async function replicaIdentityGaps(db: Queryable, tables: readonly string[]): Promise<IdentityGap[]> {
  if (tables.length === 0) return [];
  const result = await db.query(GAPS_SQL, [[...tables]]);
  return result.rows.map((row) => ({
    table: String(row.wanted),
    relation: String(row.relation),
    candidateIndex: row.candidate === null ? null : String(row.candidate),
    fullWithVirtual: row.full_identity === true,
    hasPrimaryKey: row.has_pk === true,
  }));
}

/** The SQL an operator runs to give `gap.relation` a replica identity. */
export function identityFix(gap: IdentityGap): string {
  if (gap.fullWithVirtual && gap.hasPrimaryKey)
    return `ALTER TABLE ${gap.relation} REPLICA IDENTITY DEFAULT;`;
  return gap.candidateIndex
    ? `ALTER TABLE ${gap.relation} REPLICA IDENTITY USING INDEX ${gap.candidateIndex};`
    : `ALTER TABLE ${gap.relation} ADD PRIMARY KEY (<key columns>);`;
}

export function identityMessage(gap: IdentityGap): string {
  const what = gap.relation === gap.table ? gap.table : `${gap.relation} (a partition of ${gap.table})`;
  if (gap.fullWithVirtual)
    return (
      `${what} is REPLICA IDENTITY FULL and has a virtual generated column, which no publication can ` +
      `publish: once published, the application's own UPDATE and DELETE on it would fail (Postgres 18); ` +
      `flusso will not publish it until its replica identity is its primary key or a unique index`
    );
  return (
    `${what} has no primary key and no replica identity: once published, the application's own ` +
    `UPDATE and DELETE on it would fail; flusso will not publish it until it has one ` +
    `(a primary key, REPLICA IDENTITY USING INDEX on a unique index of not-null columns, or REPLICA IDENTITY FULL)`
  );
}

/** `flusso check` findings: one error per relation that lacks a replica identity. */
export async function replicaIdentityFindings(
  db: Queryable,
  index: string,
  tables: readonly string[],
): Promise<Finding[]> {
  return (await replicaIdentityGaps(db, tables)).map((gap) => ({
    level: 'error',
    index,
    path: gap.relation,
    message: identityMessage(gap),
    fix: identityFix(gap),
  }));
}

/** Refuses (before anything is published) when a table flusso would publish lacks a replica identity. */
export async function refuseMissingReplicaIdentity(db: Queryable, tables: readonly string[]): Promise<void> {
  const gaps = await replicaIdentityGaps(db, tables);
  if (gaps.length === 0) return;
  const lines = gaps.map((gap) => `${identityMessage(gap)}; fix: ${identityFix(gap)}`);
  throw new FlussoError('source_rejected', lines.join('\n'), {
    context: { tables: gaps.map((g) => g.relation).join(',') },
  });
}
