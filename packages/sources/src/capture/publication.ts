// Publication management: create or extend the publication to cover every table
// the indexes read when allowed; otherwise fail with the exact SQL to run.
// Partitioned tables are published via their root (publish_via_partition_root),
// so changes arrive under the table the schema names; a publication an older
// flusso created without it is migrated, not re-added in a loop. On Postgres 18+
// the publication also publishes stored generated columns: without that, Postgres
// refuses the application's UPDATE and DELETE on a published table whose replica
// identity (FULL, or a key) holds one.
import { FlussoError, type QualifiedTable, quoteIdent, tableKey } from '@flusso/core';
import type pg from 'pg';
import { asSourceFailure, isTransientPgError } from '../errors/pg-transient.js';
import { publicationState } from './publication-state.js';

function qualified(t: QualifiedTable): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** The SQL that makes `publication` cover `tables` as flusso needs; empty when it already does. */
export async function publicationPlan(
  client: pg.Client,
  publication: string,
  tables: readonly QualifiedTable[],
): Promise<string[]> {
  const state = await publicationState(client, publication, tables.map(tableKey));
  const pub = quoteIdent(publication);
  const missing = tables.filter((t) => !state.covered.has(tableKey(t)));
  const { supported, stored } = state.generatedColumns;
  if (!state.exists) {
    const list = tables.map(qualified).join(', ');
    // Always on a server that has the option: a generated column added later would otherwise
    // make the application's writes fail while flusso runs.
    const generated = supported ? ', publish_generated_columns = stored' : '';
    return [
      `CREATE PUBLICATION ${pub} FOR TABLE ${list} WITH (publish_via_partition_root = true${generated});`,
    ];
  }
  const plan: string[] = [];
  // Before any table is added: once it is a member, writes to it are checked.
  if (supported && !stored && state.storedGenerated.size > 0)
    plan.push(`ALTER PUBLICATION ${pub} SET (publish_generated_columns = stored);`);
  if (missing.length > 0)
    plan.push(`ALTER PUBLICATION ${pub} ADD TABLE ${missing.map(qualified).join(', ')};`);
  if (!state.viaRoot && state.partitioned.size > 0)
    plan.push(`ALTER PUBLICATION ${pub} SET (publish_via_partition_root = true);`);
  return plan;
}

export async function ensurePublication(
  client: pg.Client,
  publication: string,
  tables: readonly QualifiedTable[],
  manage: boolean,
): Promise<void> {
  const plan = await publicationPlan(client, publication, tables);
  if (plan.length === 0) return;
  const sql = plan.join(' ');
  if (!manage) {
    throw new FlussoError(
      'source_rejected',
      `publication ${publication} does not fit the indexes; run: ${sql}`,
      {
        context: { publication, statements: plan.length },
      },
    );
  }
  try {
    for (const statement of plan) await client.query(statement);
  } catch (error) {
    // A lost connection is worth a retry; a refused statement will be refused again.
    if (isTransientPgError(error)) throw asSourceFailure(`managing publication ${publication}`, error);
    throw new FlussoError(
      'source_rejected',
      `cannot manage publication ${publication} (${(error as Error).message}); an administrator can run: ${sql}`,
      { context: { publication }, cause: error },
    );
  }
}
