// Backfill keys by keyset pagination (no long-lived cursor). Before live sync the
// pages share one REPEATABLE READ transaction, pinned to the slot's exported
// snapshot when there is one. Once live (a reindex, a newly added index) each page
// is its own statement: the live stream carries whatever changes between pages, and
// a transaction held across pages would keep a TRUNCATE of the table waiting and,
// behind its lock, every document build that reads that table, until the reindex
// ends, which the stalled builds never let it do (and it would hold back vacuum).

import type { RowKey, SnapshotPage, SnapshotScope } from '@flusso/core';
import { quoteIdent } from '@flusso/core';
import pg from 'pg';
import { textToValue } from './cell-values.js';
import { sourceSessionOptions } from './session-options.js';

export class SnapshotSession {
  private constructor(
    private readonly client: pg.Client,
    private readonly pinned: boolean,
  ) {}

  /** Pages in one snapshot (the exported one, else a fresh one). */
  static async open(url: string, exportedSnapshot: string | null): Promise<SnapshotSession> {
    const client = await SnapshotSession.connect(url);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (exportedSnapshot)
      await client.query(`SET TRANSACTION SNAPSHOT '${exportedSnapshot.replaceAll("'", "''")}'`);
    // The transaction is idle while each page is built and flushed (as long as a slow sink
    // takes): a database's idle_in_transaction_session_timeout would end it, and with it the
    // snapshot, so every backfill on a slow sink would start over. Only for this transaction.
    await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    return new SnapshotSession(client, true);
  }

  /** Each page read by its own statement: no lock or snapshot held between pages. */
  static async openUnpinned(url: string): Promise<SnapshotSession> {
    return new SnapshotSession(await SnapshotSession.connect(url), false);
  }

  private static async connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, options: sourceSessionOptions });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  async *keys(scope: SnapshotScope, pageSize: number): AsyncIterable<SnapshotPage> {
    const table = `${quoteIdent(scope.table.schema)}.${quoteIdent(scope.table.table)}`;
    const cols = scope.keyColumns.map((c) => quoteIdent(c));
    const types = await this.keyTypes(table, scope.keyColumns);
    // Aliased so ORDER BY names the typed table columns, not these text outputs.
    const select = cols.map((c, i) => `${c}::text AS k${i}`).join(', ');
    const order = cols.join(', ');
    const where = scope.where ? `(${scope.where})` : 'true';
    let last: string[] | null = null;
    for (;;) {
      const after: string = last ? `AND (${order}) > (${cols.map((_, i) => `$${i + 1}`).join(', ')})` : '';
      const res: pg.QueryResult<string[]> = await this.client.query<string[]>({
        text: `SELECT ${select} FROM ${table} WHERE ${where} ${after} ORDER BY ${order} LIMIT ${Math.max(1, pageSize)}`,
        values: last ?? [],
        rowMode: 'array',
      });
      if (res.rows.length === 0) return;
      const keys: RowKey[] = res.rows.map((row: string[]) =>
        row.map((text: string, i: number) => textToValue(text, types[i] ?? 25)),
      );
      yield { keys };
      last = res.rows.at(-1) ?? null;
      if (res.rows.length < pageSize) return;
    }
  }

  private async keyTypes(table: string, columns: readonly string[]): Promise<number[]> {
    const res = await this.client.query<{ attname: string; atttypid: number }>(
      'SELECT attname, atttypid::int AS atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attname = ANY($2)',
      [table, columns],
    );
    const byName = new Map(res.rows.map((r) => [r.attname, r.atttypid]));
    return columns.map((c) => byName.get(c) ?? 25);
  }

  async close(): Promise<void> {
    if (this.pinned) await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
