// PgChangeCapture: continuity first (publication and slot before any snapshot),
// backfill keys from the slot's exported snapshot, then live pgoutput changes
// acknowledged exactly: only contiguous fully-acked commits are confirmed.

import type { ChangeCapture, Continuity, SnapshotPage, SnapshotScope } from '@flusso/core';
import {
  type Change,
  type Clock,
  FlussoError,
  type Lsn,
  parseLsn,
  type QualifiedTable,
  systemClock,
  tableKey,
  zeroLsn,
} from '@flusso/core';
import pg from 'pg';
import type { ChangeColumns } from '../builder/change-columns.js';
import { refuseMissingReplicaIdentity } from '../catalog/replica-identity.js';
import { CommitTracker } from '../replication/commit-tracker.js';
import { pgoutputOptions, ReplicationConnection } from '../replication/replication-connection.js';
import { LiveStream } from './live-stream.js';
import { PartitionWatch } from './partition-watch.js';
import { ensurePublication } from './publication.js';
import { leafPartitions, relationFacts } from './relation-catalog.js';
import { sourceSessionOptions } from './session-options.js';
import { SnapshotSession } from './snapshot-reader.js';
import {
  SNAPSHOT_SQL,
  snapshotOfRow,
  type TakeSnapshot,
  VisibilityGate,
  type XidSnapshot,
} from './visibility-gate.js';

export interface PgChangeCaptureOptions {
  readonly url: string;
  readonly slot?: string;
  readonly publication?: string;
  readonly managePublication?: boolean;
  readonly clock?: Clock;
  /** Proactive standby status updates, at least this often (default 10 s). */
  readonly statusIntervalMs?: number;
  /**
   * Where the visibility gate takes its snapshots. Default: `pg_current_snapshot()` on
   * this capture's query connection; tests wrap it to stage the commit race.
   */
  readonly takeSnapshot?: TakeSnapshot;
  /**
   * Per table (`schema.table`), the columns a change must carry besides its key and replica
   * identity: what resolution reads (`changeColumns` of the schemas). Other columns' values
   * are stepped over while decoding. Absent: every column (a builder that reads rows).
   * Asked for when the stream starts, after the builder has checked the schemas' keys.
   */
  readonly changeColumns?: () => ChangeColumns;
}

export class PgChangeCapture implements ChangeCapture {
  private readonly slot: string;
  private readonly publication: string;
  private readonly clock: Clock;
  private query: pg.Client | null = null;
  private repl: ReplicationConnection | null = null;
  private exportedSnapshot: string | null = null;
  private session: SnapshotSession | null = null;
  private start: Lsn = zeroLsn;
  private live: LiveStream | null = null;
  private wanted: ReadonlySet<string> = new Set();
  private partitions: PartitionWatch | null = null;

  constructor(private readonly options: PgChangeCaptureOptions) {
    this.slot = options.slot ?? 'flusso';
    this.publication = options.publication ?? 'flusso';
    this.clock = options.clock ?? systemClock;
  }

  async prepare(tables: readonly QualifiedTable[]): Promise<Continuity> {
    const query = await this.queryClient();
    const wanted = tables.map(tableKey);
    await refuseMissingReplicaIdentity(query, wanted);
    await ensurePublication(query, this.publication, tables, this.options.managePublication ?? true);
    this.wanted = new Set(wanted);
    this.partitions = new PartitionWatch(
      () => leafPartitions(query, wanted),
      this.clock,
      this.options.statusIntervalMs ?? 10_000,
    );
    await this.partitions.baseline();
    this.repl = new ReplicationConnection(this.options.url);
    await this.repl.connect();
    const existing = await query.query<{ confirmed_flush_lsn: string | null }>(
      'SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1 AND database = current_database()',
      [this.slot],
    );
    const row = existing.rows[0];
    if (row) {
      this.start = row.confirmed_flush_lsn ? parseLsn(row.confirmed_flush_lsn) : zeroLsn;
      return { resumed: true, startPosition: this.start };
    }
    const created = await this.repl.createSlot(this.slot);
    this.exportedSnapshot = created.snapshotName;
    this.start = created.consistentPoint;
    return { resumed: false, startPosition: this.start };
  }

  async *snapshot(scope: SnapshotScope, pageSize = 1000): AsyncIterable<SnapshotPage> {
    // Before live starts, every scope reads the one snapshot the slot exported
    // (or, when resumed, one shared fresh snapshot); later scopes page without one.
    if (!this.live) {
      this.session ??= await SnapshotSession.open(this.options.url, this.exportedSnapshot);
      yield* this.session.keys(scope, pageSize);
      return;
    }
    const session = await SnapshotSession.openUnpinned(this.options.url);
    try {
      yield* session.keys(scope, pageSize);
    } finally {
      await session.close();
    }
  }

  async estimateRows(scope: SnapshotScope): Promise<number | null> {
    const query = await this.queryClient();
    const res = await query.query<{ n: string }>(
      'SELECT greatest(reltuples, 0)::bigint::text AS n FROM pg_class WHERE oid = to_regclass($1)',
      [`"${scope.table.schema}"."${scope.table.table}"`],
    );
    const n = res.rows[0]?.n;
    return n === undefined ? null : Number(n);
  }

  async *changes(signal: AbortSignal): AsyncIterable<Change> {
    if (!this.repl) throw new FlussoError('source_failed', 'changes() called before prepare()');
    await this.session?.close();
    this.session = null;
    this.exportedSnapshot = null;
    const query = await this.queryClient();
    const version = Number((await query.query('SHOW server_version_num')).rows[0].server_version_num);
    const options = pgoutputOptions(version, this.publication);
    this.live = new LiveStream({
      stream: this.repl.start(this.slot, this.start, options),
      protocolVersion: Number(options.proto_version),
      tracker: new CommitTracker(this.start),
      clock: this.clock,
      statusIntervalMs: this.options.statusIntervalMs ?? 10_000,
      describe: async (oid, typeOids) => relationFacts(await this.queryClient(), oid, this.wanted, typeOids),
      visibility: new VisibilityGate(this.options.takeSnapshot ?? (() => this.takeSnapshot()), this.clock),
      ...(this.partitions ? { partitions: this.partitions } : {}),
      ...(this.options.changeColumns ? { changeColumns: this.options.changeColumns() } : {}),
    });
    try {
      yield* this.live.changes(signal);
    } catch (error) {
      // The walsender lives until its connection ends: end it now, not when the run has
      // wound down (a server shutting down waits for it, see `sourceLost`).
      await this.repl?.end();
      throw error;
    }
  }

  async lagBytes(): Promise<bigint | null> {
    const query = await this.queryClient();
    const res = await query.query<{ lag: string | null }>(
      'SELECT (pg_current_wal_lsn() - confirmed_flush_lsn)::bigint::text AS lag FROM pg_replication_slots WHERE slot_name = $1',
      [this.slot],
    );
    const lag = res.rows[0]?.lag;
    return lag === undefined || lag === null ? null : BigInt(lag);
  }

  async close(): Promise<void> {
    await this.live?.stop();
    await this.session?.close();
    await this.repl?.end();
    await this.query?.end().catch(() => undefined);
    this.live = null;
    this.session = null;
    this.repl = null;
    this.query = null;
  }

  /**
   * The server ended this capture's ordinary session: a fast shutdown ends ordinary
   * sessions first (57P01), then its walsender waits for flusso to confirm everything it
   * was sent, which documents no longer buildable never allow (a shutdown hung for as long
   * as flusso was connected). So streaming stops now and the replication connection is
   * closed; the run fails as retryable and restarts from the slot's confirmed position.
   */
  private sourceLost(client: pg.Client, error: unknown): void {
    if (this.query === client) this.query = null;
    void client.end().catch(() => undefined);
    const live = this.live;
    if (!live) return;
    const code = (error as { code?: unknown }).code;
    live.abandon(
      new FlussoError('source_failed', 'the source server ended the capture session; reconnecting', {
        context: typeof code === 'string' ? { pg_code: code } : {},
        cause: error,
      }),
    );
    void this.repl?.end();
  }

  private async takeSnapshot(): Promise<XidSnapshot> {
    const query = await this.queryClient();
    const res = await query.query<{ xmin: string; xmax: string; xip: string[] }>(SNAPSHOT_SQL);
    const row = res.rows[0];
    if (!row) throw new FlussoError('source_failed', 'pg_current_snapshot() returned no row');
    return snapshotOfRow(row);
  }

  private async queryClient(): Promise<pg.Client> {
    if (!this.query) {
      const client = new pg.Client({ connectionString: this.options.url, options: sourceSessionOptions });
      client.on('error', (error) => this.sourceLost(client, error));
      await client.connect();
      this.query = client;
    }
    return this.query;
  }
}
