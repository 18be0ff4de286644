// Consumes the CopyBoth stream: decodes frames, turns row messages into changes,
// tracks commits for exact acknowledgement, and reports progress to the server
// (on request, when the confirmed position moves, and at least every interval).
// Changes of a streamed transaction are held until its stream commit, and every
// transaction's until a new snapshot sees it committed (the visibility gate): only
// then are its rows visible to the SQL that rebuilds documents.
import type { Duplex } from 'node:stream';
import type { Change, ChangeEvent } from '@flusso/core';
import { type Clock, FlussoError, isFlussoError, type Lsn, tableKey } from '@flusso/core';
import { type ChangeColumns, neededColumns } from '../builder/change-columns.js';
import { dataErrorCode } from '../errors/pg-data-error.js';
import { isDeterministicPgError } from '../errors/pg-transient.js';
import { PgOutputDecoder } from '../pgoutput/decoder.js';
import type { PgOutputMessage } from '../pgoutput/messages.js';
import type { CommitTracker, Txn } from '../replication/commit-tracker.js';
import { parseServerFrame, standbyStatusUpdate } from '../replication/copy-frames.js';
import { CopyDataFrames } from '../replication/frame-iterator.js';
import { type AckTarget, LiveChange } from './live-change.js';
import type { PartitionWatch } from './partition-watch.js';
import type { RelationFacts } from './relation-catalog.js';
import { type KnownRelation, knownRelation, rowEvents } from './relation-events.js';
import { StreamedTransactions } from './streamed-transactions.js';
import type { VisibilityGate } from './visibility-gate.js';

export interface LiveStreamOptions {
  readonly stream: Duplex;
  readonly protocolVersion: number;
  readonly tracker: CommitTracker;
  readonly clock: Clock;
  readonly statusIntervalMs: number;
  readonly describe: (oid: number, typeOids: readonly number[]) => Promise<RelationFacts>;
  /** Watches the partitions of partitioned tables, when any is published. */
  readonly partitions?: PartitionWatch;
  /** Holds a transaction's changes until new snapshots see it committed. */
  readonly visibility?: VisibilityGate;
  /** The columns a change must carry per table, besides key and identity (absent: all). */
  readonly changeColumns?: ChangeColumns;
}

type RowMessage = Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' }>;

function isRow(message: PgOutputMessage): message is RowMessage {
  return message.tag === 'insert' || message.tag === 'update' || message.tag === 'delete';
}

/** Never a real transaction id: marks the event the partition watch injects. */
const PARTITION_XID = 0;

export class LiveStream implements AckTarget {
  private readonly relations = new Map<number, KnownRelation>();
  private readonly stopper = new AbortController();
  private readonly streamed = new StreamedTransactions();
  /** Top-level xid of the stream segment being received, if any. */
  private streamXid: number | null = null;
  private lastSent = -1n;
  private currentXid = 0;
  /** The plain transaction whose visibility was last waited for. */
  private visibleXid = -1;
  private position = 0n;
  private statusQueued = false;
  /** Why the stream was abandoned (`abandon`): what `changes` throws once it stopped. */
  private failure: FlussoError | null = null;

  constructor(private readonly o: LiveStreamOptions) {}

  async *changes(signal: AbortSignal): AsyncIterable<Change> {
    const onAbort = () => void this.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    const heartbeat = this.heartbeat();
    const decoder = new PgOutputDecoder(this.o.protocolVersion, (oid) => this.relations.get(oid)?.wanted);
    const frames = new CopyDataFrames(this.o.stream);
    try {
      for (;;) {
        const chunk = frames.shift() ?? (await frames.next());
        if (chunk === null) break;
        const frame = parseServerFrame(chunk);
        if (frame.kind === 'keepalive') {
          this.o.tracker.idleAt(frame.walEnd);
          this.sendStatus(frame.replyRequested);
          yield* await this.partitionChanges();
          continue;
        }
        const message = decoder.decode(frame.payload);
        // The common row of a plain transaction already seen visible: no promise per row.
        if (isRow(message) && message.xid === undefined && this.visibleXid === this.currentXid) {
          const events = rowEvents(this.relation(message.oid), message);
          for (const event of events) yield this.change(event, this.currentXid, this.position, undefined);
          continue;
        }
        if (message.tag === 'stream_commit') yield* this.streamCommit(message);
        else for (const change of await this.handle(message)) yield change;
        if (message.tag === 'commit' || message.tag === 'stream_commit') yield* await this.partitionChanges();
      }
      if (this.failure) throw this.failure;
    } catch (error) {
      if (this.failure) throw this.failure;
      if (!this.stopper.signal.aborted) {
        if (isFlussoError(error)) throw error;
        // A row the walsender cannot send (bytes not valid in the client encoding) carries its
        // value in Postgres's message: only the SQLSTATE is kept. Sent again, it fails again.
        const dataCode = dataErrorCode(error);
        if (dataCode !== null)
          throw new FlussoError(
            'source_rejected',
            `replication stream failed: a row's value could not be sent (SQLSTATE ${dataCode})`,
            { context: { pg_code: dataCode } },
          );
        // A refused START_REPLICATION (publication dropped, ...) would be refused again: fatal.
        const code = isDeterministicPgError(error) ? 'source_rejected' : 'source_failed';
        throw new FlussoError(code, `replication stream failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    } finally {
      frames.close();
      signal.removeEventListener('abort', onAbort);
      await this.stop();
      await heartbeat;
      await this.streamed.close();
    }
  }

  /** Report the confirmed position one last time and close the stream; unacked work is redelivered. */
  async stop(): Promise<void> {
    if (this.stopper.signal.aborted) return;
    this.sendStatus(false);
    this.stopper.abort();
    this.o.stream.destroy();
  }

  /**
   * Stop streaming because the source cannot go on (its server is shutting down, say):
   * `changes` ends with `error`. Nothing more is confirmed; unacked work is redelivered.
   */
  abandon(error: FlussoError): void {
    if (this.stopper.signal.aborted) return;
    this.failure = error;
    void this.stop();
  }

  private async handle(message: PgOutputMessage): Promise<Change[]> {
    const { tracker } = this.o;
    switch (message.tag) {
      case 'begin':
        this.currentXid = message.xid;
        this.position = message.finalLsn;
        tracker.begin(message.xid);
        return [];
      case 'commit':
        tracker.commit(this.currentXid, message.endLsn);
        this.queueStatus();
        return [];
      case 'relation': {
        const facts = await this.o.describe(
          message.oid,
          message.columns.map((c) => c.typeOid),
        );
        const columns = message.columns.map((c) => ({
          ...c,
          typeOid: facts.baseTypes.get(c.typeOid) ?? c.typeOid,
        }));
        const table = facts.root ? tableKey(facts.root) : `${message.namespace}.${message.name}`;
        const needed = this.o.changeColumns && neededColumns(this.o.changeColumns, table);
        const known = knownRelation({ ...message, columns }, facts.primaryKey, needed);
        // A partition's changes belong to the partitioned table the schema names.
        this.relations.set(message.oid, facts.root ? { ...known, table: facts.root } : known);
        return [];
      }
      case 'insert':
      case 'update':
      case 'delete':
        return this.events(rowEvents(this.relation(message.oid), message), message.xid);
      case 'truncate': {
        const tables = message.oids.map((oid) => this.relation(oid).table);
        return this.events([{ kind: 'truncate', tables }], message.xid);
      }
      default:
        return this.handleStream(message);
    }
  }

  private async handleStream(message: PgOutputMessage): Promise<Change[]> {
    const { tracker } = this.o;
    switch (message.tag) {
      case 'stream_start':
        this.streamXid = message.xid;
        await this.streamed.start(message.xid, message.firstSegment);
        // An open streamed transaction keeps the tracker busy: no idle advance past it.
        tracker.begin(message.xid);
        return [];
      case 'stream_stop':
        this.streamXid = null;
        return [];
      case 'stream_abort':
        await this.streamed.abort(message.xid, message.subXid);
        if (message.subXid === message.xid) tracker.abort(message.xid);
        return [];
      default:
        return [];
    }
  }

  /** Row events of a plain transaction go out now; those of a streamed one wait for its commit. */
  private async events(events: ChangeEvent[], streamedXid: number | undefined): Promise<Change[]> {
    if (streamedXid === undefined) {
      // pgoutput sends a plain transaction once its commit record is flushed; its
      // first row waits for visibility (a transaction with no rows never asks).
      if (this.visibleXid !== this.currentXid) {
        await this.o.visibility?.visible(this.currentXid, this.stopper.signal);
        this.visibleXid = this.currentXid;
      }
      return this.wrap(events, this.currentXid, this.position, false);
    }
    await this.streamed.add(this.streamXid ?? streamedXid, streamedXid, events);
    return [];
  }

  /** The held changes of a committed streamed transaction, read back as they are consumed. */
  private async *streamCommit(
    message: Extract<PgOutputMessage, { tag: 'stream_commit' }>,
  ): AsyncIterable<Change> {
    await this.o.visibility?.visible(message.xid, this.stopper.signal);
    for await (const event of this.streamed.take(message.xid)) {
      yield* this.wrap([event], message.xid, message.commitLsn, true);
    }
    // Only now may the transaction be confirmed: every change of it is registered.
    this.o.tracker.commit(message.xid, message.endLsn);
    this.queueStatus();
  }

  /** A rebuild event when partitions were attached or detached, as a transaction of its own. */
  private async partitionChanges(): Promise<Change[]> {
    const tables = (await this.o.partitions?.changed()) ?? [];
    if (tables.length === 0) return [];
    const { tracker } = this.o;
    tracker.begin(PARTITION_XID);
    const changes = this.wrap([{ kind: 'truncate', tables }], PARTITION_XID, tracker.confirmed, false);
    tracker.commit(PARTITION_XID, tracker.confirmed);
    return changes;
  }

  private relation(oid: number): KnownRelation {
    const relation = this.relations.get(oid);
    if (!relation)
      throw new FlussoError('decode_failed', `row for relation ${oid} arrived before its Relation message`, {
        context: { oid },
      });
    return relation;
  }

  private wrap(events: readonly ChangeEvent[], xid: number, position: bigint, streamed: boolean): Change[] {
    return events.map((event) => this.change(event, xid, position, streamed ? true : undefined));
  }

  private change(event: ChangeEvent, xid: number, position: bigint, streamed: true | undefined): Change {
    return new LiveChange(event, position as Lsn, streamed, this.o.tracker.register(xid), this);
  }

  /** A LiveChange was acked (AckTarget). */
  acked(txn: Txn): void {
    this.o.tracker.ackOne(txn);
    this.queueStatus();
  }

  private queueStatus(): void {
    if (this.statusQueued) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      if (this.o.tracker.confirmed !== this.lastSent) this.sendStatus(false);
    });
  }

  private sendStatus(force: boolean): void {
    const confirmed = this.o.tracker.confirmed;
    if ((!force && confirmed === this.lastSent) || this.stopper.signal.aborted || this.o.stream.destroyed)
      return;
    this.lastSent = confirmed;
    this.o.stream.write(standbyStatusUpdate(confirmed, this.o.clock.now()));
  }

  private async heartbeat(): Promise<void> {
    while (!this.stopper.signal.aborted) {
      await this.o.clock.sleep(this.o.statusIntervalMs, this.stopper.signal).catch(() => undefined);
      this.sendStatus(true);
    }
  }
}
