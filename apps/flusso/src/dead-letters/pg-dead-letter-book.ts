// The default DeadLetterBook: table flusso.dead_letters in the source database.
// With keep_documents = false only the key (sink, index, id) and the rejection
// are kept; replay rebuilds from the current rows either way.

import {
  type DocumentId,
  type ExactObject,
  formatLsn,
  type IndexName,
  type Lsn,
  parseExactJson,
  parseLsn,
  stringifyExact,
} from '@flusso/core';
import type { DeadLetterBook, DeadLetterCount, DeadLetterFilter, StoredDeadLetter } from '@flusso/daemon';
import type { DeadLetter } from '@flusso/engine';
import pg from 'pg';
import { ensureDeadLettersTable } from './dead-letters-table.js';

const COLUMNS = 11;
const CHUNK = 1000;

interface Row {
  sink: string;
  index_name: string;
  document_id: string;
  op: 'upsert' | 'delete';
  error_type: string;
  error_reason: string;
  error_status: number;
  lsn: string | null;
  at_ms: string;
  attempts: number;
  document: string | null;
}

function where(filter: DeadLetterFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.index !== undefined) add('index_name = ?', filter.index);
  if (filter.sink !== undefined) add('sink = ?', filter.sink);
  if (filter.id !== undefined) add('document_id = ?', filter.id);
  if (filter.since !== undefined) add('failed_at >= to_timestamp(?::float8 / 1000)', filter.since);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function fromRow(r: Row): StoredDeadLetter {
  return {
    sink: r.sink,
    index: r.index_name as IndexName,
    id: r.document_id as DocumentId,
    op: r.op,
    rejection: { type: r.error_type, reason: r.error_reason, status: r.error_status },
    lsn: r.lsn === null ? null : parseLsn(r.lsn),
    at: Math.round(Number(r.at_ms)),
    document: r.document === null ? null : (parseExactJson(r.document) as ExactObject),
    attempts: r.attempts,
  };
}

export class PgDeadLetterBook implements DeadLetterBook {
  private constructor(
    private readonly db: pg.Pool,
    private readonly keepDocuments: boolean,
  ) {}

  /** Connect and create the table if absent. */
  static async open(options: { url: string; keepDocuments: boolean }): Promise<PgDeadLetterBook> {
    const db = new pg.Pool({ connectionString: options.url, max: 2 });
    db.on('error', () => undefined);
    try {
      await ensureDeadLettersTable(db);
    } catch (error) {
      await db.end().catch(() => undefined);
      throw error;
    }
    return new PgDeadLetterBook(db, options.keepDocuments);
  }

  async record(letters: readonly DeadLetter[]): Promise<void> {
    // One row per key per statement (ON CONFLICT may touch a row only once): the newest wins.
    const unique = [...new Map(letters.map((l) => [`${l.sink}\u0000${l.index}\u0000${l.id}`, l])).values()];
    for (let i = 0; i < unique.length; i += CHUNK) await this.insert(unique.slice(i, i + CHUNK));
  }

  private async insert(letters: readonly DeadLetter[]): Promise<void> {
    const params: unknown[] = [];
    const tuples = letters.map((l, n) => {
      params.push(l.sink, l.index, l.id, l.op, l.rejection.type, l.rejection.reason, l.rejection.status);
      params.push(l.lsn === null ? null : formatLsn(l.lsn as Lsn), l.at);
      params.push(this.keepDocuments && l.document ? stringifyExact(l.document) : null, 1);
      const p = (k: number) => `$${n * COLUMNS + k}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::pg_lsn, to_timestamp(${p(9)}::float8 / 1000), to_timestamp(${p(9)}::float8 / 1000), ${p(11)}, ${p(10)}::json)`;
    });
    await this.db.query(
      `INSERT INTO flusso.dead_letters (sink, index_name, document_id, op, error_type, error_reason, error_status, lsn, failed_at, first_failed_at, attempts, document)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (sink, index_name, document_id) DO UPDATE SET
         op = EXCLUDED.op, error_type = EXCLUDED.error_type, error_reason = EXCLUDED.error_reason,
         error_status = EXCLUDED.error_status, lsn = COALESCE(EXCLUDED.lsn, dead_letters.lsn),
         failed_at = EXCLUDED.failed_at, attempts = dead_letters.attempts + 1, document = EXCLUDED.document`,
      params,
    );
  }

  async list(filter: DeadLetterFilter): Promise<readonly StoredDeadLetter[]> {
    const w = where(filter);
    const { rows } = await this.db.query<Row>(
      `SELECT sink, index_name, document_id, op, error_type, error_reason, error_status, lsn::text AS lsn,
              (extract(epoch FROM failed_at) * 1000)::text AS at_ms, attempts, document::text AS document
         FROM flusso.dead_letters ${w.sql}
        ORDER BY failed_at, sink, index_name, document_id`,
      w.params,
    );
    return rows.map(fromRow);
  }

  async remove(keys: readonly Pick<DeadLetter, 'sink' | 'index' | 'id'>[]): Promise<number> {
    if (keys.length === 0) return 0;
    const { rowCount } = await this.db.query(
      `DELETE FROM flusso.dead_letters d
        USING unnest($1::text[], $2::text[], $3::text[]) AS k(sink, index_name, document_id)
        WHERE d.sink = k.sink AND d.index_name = k.index_name AND d.document_id = k.document_id`,
      [keys.map((k) => k.sink), keys.map((k) => k.index), keys.map((k) => k.id)],
    );
    return rowCount ?? 0;
  }

  async purge(filter: DeadLetterFilter): Promise<number> {
    const w = where(filter);
    const { rowCount } = await this.db.query(`DELETE FROM flusso.dead_letters ${w.sql}`, w.params);
    return rowCount ?? 0;
  }

  async counts(): Promise<readonly DeadLetterCount[]> {
    const { rows } = await this.db.query<{ sink: string; index_name: string; count: string }>(
      'SELECT sink, index_name, count(*)::text AS count FROM flusso.dead_letters GROUP BY 1, 2 ORDER BY 1, 2',
    );
    return rows.map((r) => ({ sink: r.sink, index: r.index_name, count: Number(r.count) }));
  }

  async close(): Promise<void> {
    await this.db.end();
  }
}
