// A walsender connection: slot creation with an exported snapshot, and a
// back-pressured CopyBoth stream (pg-copy-streams `both`) for START_REPLICATION.

import type { Duplex } from 'node:stream';
import { FlussoError, formatLsn, type Lsn, parseLsn, quoteIdent } from '@flusso/core';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { sourceSessionOptions } from '../capture/session-options.js';

// pg-copy-streams 7 ships `both` (CopyBoth); its published types predate it.
const { both } = copyStreams as unknown as {
  both(sql: string, options: { alignOnCopyDataFrame: boolean }): pg.Submittable & Duplex;
};

export interface CreatedSlot {
  readonly consistentPoint: Lsn;
  readonly snapshotName: string;
}

export class ReplicationConnection {
  private readonly client: pg.Client;
  private ending: Promise<void> | null = null;

  constructor(url: string) {
    this.client = new pg.Client({
      connectionString: url,
      replication: 'database',
      options: sourceSessionOptions,
    } as pg.ClientConfig);
    this.client.on('error', () => undefined);
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async createSlot(slot: string): Promise<CreatedSlot> {
    const res = await this.client.query(
      `CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const row = res.rows[0] as { consistent_point: string; snapshot_name: string } | undefined;
    if (!row) throw new FlussoError('source_failed', `slot ${slot}: CREATE_REPLICATION_SLOT returned no row`);
    return { consistentPoint: parseLsn(row.consistent_point), snapshotName: row.snapshot_name };
  }

  /** Start streaming `slot` from `from` with the given pgoutput options. */
  start(slot: string, from: Lsn, options: Readonly<Record<string, string>>): Duplex {
    const opts = Object.entries(options)
      .map(([k, v]) => `${k} '${v.replaceAll("'", "''")}'`)
      .join(', ');
    const sql = `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${formatLsn(from)} (${opts})`;
    const stream = this.client.query(both(sql, { alignOnCopyDataFrame: true }));
    // Errors while reading reach the frame iterator's own listener; after a
    // deliberate stop the stream may still report the closed connection.
    stream.on('error', () => undefined);
    return stream;
  }

  /**
   * Close the connection (a Terminate message: the walsender exits at once, whatever it
   * was waiting for). Idempotent: the capture may end it early, then again on close.
   */
  end(): Promise<void> {
    this.ending ??= this.client.end().catch(() => undefined);
    return this.ending;
  }
}

/** pgoutput options for the highest protocol the server speaks. */
export function pgoutputOptions(serverVersionNum: number, publication: string): Record<string, string> {
  const version = serverVersionNum >= 160000 ? 4 : serverVersionNum >= 140000 ? 2 : 1;
  const options: Record<string, string> = {
    proto_version: String(version),
    publication_names: quoteIdent(publication),
  };
  if (version >= 2) options.streaming = 'on';
  if (serverVersionNum >= 140000) options.messages = 'true';
  return options;
}
