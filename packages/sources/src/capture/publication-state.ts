// What a publication covers, read from the catalog: a table is covered when it
// is a member itself (pg_publication_rel, so a partitioned root counts even when
// its partitions are what pg_publication_tables lists), through FOR ALL TABLES,
// or through its schema; and which wanted tables are partitioned.
import type { Queryable } from '../builder/pg-document-builder.js';

export interface PublicationState {
  readonly exists: boolean;
  readonly viaRoot: boolean;
  /** Wanted tables (`schema.table`) the publication covers. */
  readonly covered: ReadonlySet<string>;
  /** Wanted tables that are partitioned. */
  readonly partitioned: ReadonlySet<string>;
}

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
  if (!row) return { exists: false, viaRoot: false, covered: new Set(), partitioned: partitionedSet };
  if (row.puballtables)
    return { exists: true, viaRoot: row.pubviaroot, covered: new Set(wanted), partitioned: partitionedSet };
  const covered = await client.query(COVERED_SQL, [publication]);
  const have = new Set(covered.rows.map((r) => String(r.key)));
  return {
    exists: true,
    viaRoot: row.pubviaroot,
    covered: new Set(wanted.filter((t) => have.has(t))),
    partitioned: partitionedSet,
  };
}
