// What `flusso check` says about partitioned tables: flusso publishes them via
// their root, so changes to any partition arrive under the table the schema
// names; a publication that publishes the partitions separately is migrated.
import { quoteIdent } from '@flusso/core';
import type { Queryable } from '../builder/pg-document-builder.js';
import { publicationState } from '../capture/publication-state.js';
import type { Finding } from './check-catalog.js';

export async function partitionFindings(
  db: Queryable,
  index: string,
  tables: readonly string[],
  publication: string,
): Promise<Finding[]> {
  const state = await publicationState(db, publication, tables);
  return [...state.partitioned].map((table) => {
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
  });
}
