// Catalog facts the live stream needs about a relation it is told about: its
// primary key and, for a partition of a table flusso publishes, that table (a
// change can arrive under a partition's name when WAL was decoded while the
// publication still published partitions separately). Also the leaf partitions
// of the partitioned tables, so attaching or detaching one can be noticed.
import type { QualifiedTable, SchemaName, TableName } from '@flusso/core';
import type pg from 'pg';

export interface RelationFacts {
  readonly primaryKey: string[];
  /** The base type of each domain among the relation's column types (pgoutput names the domain). */
  readonly baseTypes: ReadonlyMap<number, number>;
  /** The wanted table this relation is a partition of, if it is one. */
  readonly root: QualifiedTable | null;
}

async function primaryKey(client: pg.Client, oid: number): Promise<string[]> {
  const res = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.n`,
    [oid],
  );
  return res.rows.map((r) => r.attname);
}

// A cell is read by its base type: a domain over char(n) or boolean prints as its
// base does. Resolved from the type the relation message names (not the column's
// type now, which a later ALTER may have changed).
const BASE_TYPES_SQL = `
  WITH RECURSIVE t AS (
    SELECT o AS named, o AS ty, 0 AS depth FROM unnest($1::oid[]) AS o
    UNION ALL
    SELECT t.named, y.typbasetype, t.depth + 1 FROM t JOIN pg_type y ON y.oid = t.ty
     WHERE y.typtype = 'd' AND t.depth < 8)
  SELECT DISTINCT ON (named) named::int AS named, ty::int AS ty FROM t ORDER BY named, depth DESC`;

async function baseTypes(client: pg.Client, typeOids: readonly number[]): Promise<Map<number, number>> {
  const res = await client.query<{ named: number; ty: number }>(BASE_TYPES_SQL, [[...new Set(typeOids)]]);
  return new Map(res.rows.filter((r) => r.named !== r.ty).map((r) => [r.named, r.ty]));
}

/** The topmost ancestor of `oid` (itself excluded) that is among `wanted`, with its oid. */
async function wantedAncestor(client: pg.Client, oid: number, wanted: ReadonlySet<string>) {
  const res = await client.query<{ oid: number; nspname: string; relname: string }>(
    `SELECT c.oid::int AS oid, n.nspname, c.relname
       FROM pg_partition_ancestors($1) WITH ORDINALITY AS a(relid, depth)
       JOIN pg_class c ON c.oid = a.relid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.relid <> $1::oid ORDER BY a.depth DESC`,
    [oid],
  );
  return res.rows.find((r) => wanted.has(`${r.nspname}.${r.relname}`)) ?? null;
}

export async function relationFacts(
  client: pg.Client,
  oid: number,
  wanted: ReadonlySet<string>,
  typeOids: readonly number[] = [],
): Promise<RelationFacts> {
  const ancestor = await wantedAncestor(client, oid, wanted);
  const types = await baseTypes(client, typeOids);
  if (!ancestor) return { primaryKey: await primaryKey(client, oid), baseTypes: types, root: null };
  return {
    primaryKey: await primaryKey(client, ancestor.oid),
    baseTypes: types,
    root: { schema: ancestor.nspname as SchemaName, table: ancestor.relname as TableName },
  };
}

/** `schema.table` of each partitioned table among `wanted` → its leaf partitions, as one sorted string. */
export async function leafPartitions(
  client: pg.Client,
  wanted: readonly string[],
): Promise<Map<string, string>> {
  const res = await client.query<{ t: string; leaves: string }>(
    `SELECT w.t, string_agg(p.relid::regclass::text, ',' ORDER BY p.relid::regclass::text) AS leaves
       FROM unnest($1::text[]) AS w(t)
       JOIN pg_class c ON c.oid = to_regclass(format('%I.%I', split_part(w.t, '.', 1), split_part(w.t, '.', 2)))
       LEFT JOIN LATERAL pg_partition_tree(c.oid) p ON p.isleaf
      WHERE c.relkind = 'p' GROUP BY w.t`,
    [[...wanted]],
  );
  return new Map(res.rows.map((r) => [r.t, r.leaves ?? '']));
}
