// What `flusso check` says about partitioned tables: flusso publishes them via
// their root, so changes to any partition arrive under the table the schema
// names; a publication that publishes the partitions separately is migrated.
import { quoteIdent } from '@flusso/core';
import type { Queryable } from '../builder/pg-document-builder.js';
import { publicationState } from '../capture/publication-state.js';
import type { Finding } from './check-catalog.js';

export interface PartitionScope {
  readonly index: string;
  /** Every existing table the index reads. */
  readonly tables: readonly string[];
  /** The joined tables among them (a re-parented or deleted row must rebuild its old parent). */
  readonly children: ReadonlySet<string>;
  readonly publication: string;
}

/** Leaf partitions of `table` whose replica identity is not FULL. */
async function leavesNotFull(db: Queryable, table: string): Promise<string[]> {
  const res = await db.query(
    `SELECT format('%s.%s', n.nspname, c.relname) AS leaf
       FROM pg_partition_tree(to_regclass(format('%I.%I', split_part($1, '.', 1), split_part($1, '.', 2)))) p
       JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE p.isleaf AND c.relreplident <> 'f' ORDER BY 1`,
    [table],
  );
  return res.rows.map((r) => String(r.leaf));
}

async function childIdentityFindings(db: Queryable, scope: PartitionScope, partitioned: ReadonlySet<string>) {
  const findings: Finding[] = [];
  for (const child of [...partitioned].filter((t) => scope.children.has(t))) {
    const leaves = await leavesNotFull(db, child);
    if (leaves.length === 0) continue;
    findings.push({
      level: 'warning',
      index: scope.index,
      path: child,
      message: `partitions of ${child} are not REPLICA IDENTITY FULL (${leaves.join(', ')}): a re-parented or deleted row cannot rebuild its old parent`,
      fix: leaves.map((leaf) => `ALTER TABLE ${leaf} REPLICA IDENTITY FULL;`).join(' '),
    });
  }
  return findings;
}

export async function partitionFindings(db: Queryable, scope: PartitionScope): Promise<Finding[]> {
  const { index, publication } = scope;
  const state = await publicationState(db, publication, scope.tables);
  const identity = await childIdentityFindings(db, scope, state.partitioned);
  return identity.concat(
    [...state.partitioned].map((table): Finding => {
      if (state.exists && !state.viaRoot)
        return {
          level: 'warning',
          index,
          path: table,
          message:
            `${table} is partitioned and publication ${publication} publishes its partitions separately: ` +
            'flusso sets publish_via_partition_root = true (when manage_publication is on) so its changes arrive as the table itself',
          fix: `ALTER PUBLICATION ${quoteIdent(publication)} SET (publish_via_partition_root = true);`,
        };
      return {
        level: 'warning',
        index,
        path: table,
        message:
          `${table} is partitioned: flusso publishes it via its root (publish_via_partition_root = true); ` +
          'every partition needs a replica identity, and attaching or detaching a partition rebuilds the index',
      };
    }),
  );
}
