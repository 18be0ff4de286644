// Publication management: create or extend the publication to cover every table
// the indexes read when allowed; otherwise fail with the exact SQL to run.
import { FlussoError, quoteIdent } from '@flusso/core';
import type pg from 'pg';
import { type QualifiedTable, tableKey } from './change.js';

function qualified(t: QualifiedTable): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

/** Tables of `wanted` the publication does not cover yet (all of them when it does not exist). */
async function missingTables(client: pg.Client, publication: string, wanted: readonly QualifiedTable[]) {
  const exists = await client.query('SELECT puballtables FROM pg_publication WHERE pubname = $1', [
    publication,
  ]);
  if (exists.rowCount === 0) return { exists: false, missing: [...wanted] };
  if (exists.rows[0].puballtables) return { exists: true, missing: [] };
  const covered = await client.query<{ key: string }>(
    "SELECT schemaname || '.' || tablename AS key FROM pg_publication_tables WHERE pubname = $1",
    [publication],
  );
  const have = new Set(covered.rows.map((r) => r.key));
  return { exists: true, missing: wanted.filter((t) => !have.has(tableKey(t))) };
}

export async function ensurePublication(
  client: pg.Client,
  publication: string,
  tables: readonly QualifiedTable[],
  manage: boolean,
): Promise<void> {
  const { exists, missing } = await missingTables(client, publication, tables);
  if (missing.length === 0 && exists) return;
  const list = missing.map(qualified).join(', ');
  const sql = exists
    ? `ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${list};`
    : `CREATE PUBLICATION ${quoteIdent(publication)} FOR TABLE ${list};`;
  if (!manage) {
    throw new FlussoError(
      'source_failed',
      `publication ${publication} does not cover ${missing.length} table(s); run: ${sql}`,
      {
        context: { publication, missing: missing.length },
      },
    );
  }
  try {
    await client.query(sql);
  } catch (error) {
    throw new FlussoError(
      'source_failed',
      `cannot manage publication ${publication} (${(error as Error).message}); an administrator can run: ${sql}`,
      {
        cause: error,
      },
    );
  }
}
