// The default dead-letter store's table, created on start if absent. One row per
// (sink, index, document): a document rejected again replaces its row and
// counts one more attempt.
import type pg from 'pg';

export const DEAD_LETTERS_TABLE = 'flusso.dead_letters';

const ddl = `
CREATE SCHEMA IF NOT EXISTS flusso;
CREATE TABLE IF NOT EXISTS flusso.dead_letters (
  sink            text        NOT NULL,
  index_name      text        NOT NULL,
  document_id     text        NOT NULL,
  op              text        NOT NULL CHECK (op IN ('upsert', 'delete')),
  error_type      text        NOT NULL,
  error_reason    text        NOT NULL,
  error_status    integer     NOT NULL,
  lsn             pg_lsn,
  failed_at       timestamptz NOT NULL,
  first_failed_at timestamptz NOT NULL,
  attempts        integer     NOT NULL DEFAULT 1,
  document        json,
  PRIMARY KEY (sink, index_name, document_id)
);
COMMENT ON TABLE flusso.dead_letters IS
  'Documents a flusso sink rejected under on_error = skip; work off with flusso dlq list|replay|purge';
`;

/** Create the schema and table if absent; two instances starting at once serialize on a lock. */
export async function ensureDeadLettersTable(db: pg.Pool): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('flusso.dead_letters'))");
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
