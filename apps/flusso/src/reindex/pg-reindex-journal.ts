// The reindex journal in the source database: table `flusso.reindex_requests`,
// one row per (slot, index) requested and not yet swapped in. The table is created
// on the first request, so a daemon that never reindexes needs no right to create it.
import type { IndexName } from '@flusso/core';
import { parseIndexName } from '@flusso/core';
import type { ReindexJournal } from '@flusso/daemon';
import type pg from 'pg';

export const REINDEX_REQUESTS_TABLE = 'flusso.reindex_requests';

const ddl = `
CREATE SCHEMA IF NOT EXISTS flusso;
CREATE TABLE IF NOT EXISTS flusso.reindex_requests (
  slot         text        NOT NULL,
  index_name   text        NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (slot, index_name)
);
COMMENT ON TABLE flusso.reindex_requests IS
  'Reindexes flusso was asked for and has not swapped in yet; a restarted flusso runs them again';
`;

export interface JournalLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export class PgReindexJournal implements ReindexJournal {
  private ready = false;

  /** `slot`: the daemon's replication slot, which names its pipeline in a shared database. */
  constructor(
    private readonly db: Pick<pg.Pool, 'query' | 'connect' | 'end'>,
    private readonly slot: string,
    private readonly log?: JournalLog,
  ) {}

  private async exists(): Promise<boolean> {
    if (this.ready) return true;
    const res = await this.db.query<{ t: string | null }>(
      "SELECT to_regclass('flusso.reindex_requests')::text AS t",
    );
    this.ready = res.rows[0]?.t != null;
    return this.ready;
  }

  /**
   * A journal that cannot be written (no right to create the table, the database
   * briefly away) does not refuse the reindex: it runs, and is only not resumed
   * after a crash. The warning says so.
   */
  async requested(index: IndexName): Promise<void> {
    try {
      await this.record(index);
    } catch (error) {
      this.log?.warn(
        { index, err: error instanceof Error ? error.message : String(error) },
        `reindex not journaled in ${REINDEX_REQUESTS_TABLE}: it runs, but a crash before its swap will not resume it`,
      );
    }
  }

  private async record(index: IndexName): Promise<void> {
    if (!(await this.exists())) {
      const client = await this.db.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('flusso.reindex_requests'))");
        await client.query(ddl);
        await client.query('COMMIT');
        this.ready = true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    await this.db.query(
      `INSERT INTO ${REINDEX_REQUESTS_TABLE} (slot, index_name) VALUES ($1, $2)
       ON CONFLICT (slot, index_name) DO NOTHING`,
      [this.slot, index],
    );
  }

  async finished(index: IndexName): Promise<void> {
    if (!(await this.exists())) return;
    await this.db.query(`DELETE FROM ${REINDEX_REQUESTS_TABLE} WHERE slot = $1 AND index_name = $2`, [
      this.slot,
      index,
    ]);
  }

  async pending(): Promise<readonly IndexName[]> {
    if (!(await this.exists())) return [];
    const res = await this.db.query<{ index_name: string }>(
      `SELECT index_name FROM ${REINDEX_REQUESTS_TABLE} WHERE slot = $1 ORDER BY requested_at, index_name`,
      [this.slot],
    );
    return res.rows.map((r) => parseIndexName(r.index_name));
  }

  async close(): Promise<void> {
    await this.db.end().catch(() => undefined);
  }
}
