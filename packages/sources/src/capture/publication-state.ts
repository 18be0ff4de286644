// What a publication covers, read from the catalog: a table is covered when it
// is a member itself (pg_publication_rel, so a partitioned root counts even when
// its partitions are what pg_publication_tables lists), through FOR ALL TABLES,
// or through its schema; which wanted tables are partitioned; and (Postgres 18+)
// whether it publishes stored generated columns and which wanted tables have one.
import type { Queryable } from '../builder/pg-document-builder.js';

export interface PublicationState {
  readonly exists: boolean;
  readonly viaRoot: boolean;
  /** Wanted tables (`schema.table`) the publication covers. */
  readonly covered: ReadonlySet<string>;
  /** Wanted tables that are partitioned. */
  readonly partitioned: ReadonlySet<string>;
  /**
   * Whether the server can publish generated columns (`publish_generated_columns`,
   * Postgres 18+), and whether this publication does (`stored`).
   */
  readonly generatedColumns: { readonly supported: boolean; readonly stored: boolean };
  /** Wanted tables (or a leaf partition of one) with a stored generated column. */
  readonly storedGenerated: ReadonlySet<string>;
}

// Postgres 18 refuses UPDATE and DELETE on a published table whose replica identity
// (FULL, or a key) holds a stored generated column the publication does not publish.
const STORED_GENERATED_SQL = `
  SELECT w.t AS key FROM unnest($1::text[]) AS w(t)
   CROSS JOIN LATERAL (SELECT to_regclass(format('%I.%I', split_part(w.t, '.', 1), split_part(w.t, '.', 2))) AS oid) r
   WHERE r.oid IS NOT NULL AND EXISTS (
     SELECT 1 FROM (SELECT r.oid AS relid UNION SELECT relid FROM pg_partition_tree(r.oid) WHERE isleaf) p
       JOIN pg_attribute a ON a.attrelid = p.relid
      WHERE a.attgenerated = 's' AND a.attnum > 0 AND NOT a.attisdropped)`;

const GENCOLS_SUPPORTED_SQL = `SELECT EXISTS (SELECT 1 FROM pg_attribute
   WHERE attrelid = 'pg_catalog.pg_publication'::regclass AND attname = 'pubgencols') AS supported`;

export const COVERED_SQL = `
  SELECT format('%s.%s', n.nspname, c.relname) AS key
    FROM pg_publication p JOIN pg_publication_rel pr ON pr.prpubid = p.oid
    JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE p.pubname = $1
  UNION
  SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = $1`;

const PARTITIONED_SQL = `
  SELECT w.t AS key FROM unnest($1::text[]) AS w(t)
   JOIN pg_class c ON c.oid = to_regclass(format('%I.%I', split_part(w.t, '.', 1), split_part(w.t, '.', 2)))
   WHERE c.relkind = 'p'`;

export async function publicationState(
  client: Queryable,
  publication: string,
  wanted: readonly string[],
): Promise<PublicationState> {
  const partitioned = await client.query(PARTITIONED_SQL, [[...wanted]]);
  const partitionedSet = new Set(partitioned.rows.map((r) => String(r.key)));
  const pub = await client.query('SELECT puballtables, pubviaroot FROM pg_publication WHERE pubname = $1', [
    publication,
  ]);
  const row = pub.rows[0] as { puballtables: boolean; pubviaroot: boolean } | undefined;
  const supported = Boolean((await client.query(GENCOLS_SUPPORTED_SQL)).rows[0]?.supported);
  const stored =
    row !== undefined && supported
      ? (
          await client.query('SELECT pubgencols::text AS g FROM pg_publication WHERE pubname = $1', [
            publication,
          ])
        ).rows[0]?.g === 's'
      : false;
  const generated = await client.query(STORED_GENERATED_SQL, [[...wanted]]);
  const common = {
    partitioned: partitionedSet,
    generatedColumns: { supported, stored },
    storedGenerated: new Set(generated.rows.map((r) => String(r.key))),
  };
  if (!row) return { exists: false, viaRoot: false, covered: new Set(), ...common };
  if (row.puballtables) return { exists: true, viaRoot: row.pubviaroot, covered: new Set(wanted), ...common };
  const covered = await client.query(COVERED_SQL, [publication]);
  const have = new Set(covered.rows.map((r) => String(r.key)));
  return {
    exists: true,
    viaRoot: row.pubviaroot,
    covered: new Set(wanted.filter((t) => have.has(t))),
    ...common,
  };
}
