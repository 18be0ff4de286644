// A ChangeCapture double: replays a fixed list of changes (then ends, or stays
// open until aborted), and serves snapshot keys from an in-memory table.
import { type Lsn, zeroLsn } from '../lsn/lsn.js';
import { parseColumnName, parseSchemaName, parseTableName } from '../names/names.js';
import type { Value } from '../values/value.js';
import type { Change, ChangeEvent, QualifiedTable, RowKey } from './change.js';
import type { ChangeCapture, Continuity, SnapshotPage, SnapshotScope } from './change-capture.js';

export const usersTable: QualifiedTable = {
  schema: parseSchemaName('public'),
  table: parseTableName('users'),
};

export function intKey(id: number): RowKey {
  return [{ kind: 'int8', value: BigInt(id) } satisfies Value];
}

export interface AckLog {
  acked: number[];
}

/** A change to users row `id` at position `seq`, recording its ack in `log`. */
export function userChange(
  id: number,
  seq: number,
  log: AckLog,
  kind: 'upsert' | 'delete' = 'upsert',
): Change {
  const base = { table: usersTable, keyColumns: [parseColumnName('id')], key: intKey(id) };
  const event: ChangeEvent = kind === 'upsert' ? { kind, ...base, row: {} } : { kind, ...base };
  let acked = false;
  return {
    event,
    position: BigInt(seq + 1) as Lsn,
    ack() {
      if (acked) return;
      acked = true;
      log.acked.push(seq);
    },
  };
}

export interface ScriptedCaptureOptions {
  readonly changes?: readonly Change[];
  readonly resumed?: boolean;
  /** Keys per table for `snapshot`. */
  readonly rows?: readonly RowKey[];
  /** Keep the stream open after the script, until the signal aborts. */
  readonly keepOpen?: boolean;
  /** Fail the stream with this error after the script (a dropped replication connection). */
  readonly failWith?: Error;
}

export class ScriptedCapture implements ChangeCapture {
  readonly snapshots: SnapshotScope[] = [];
  prepared = 0;
  private readonly more: Change[] = [];
  private wakeStream: () => void = () => undefined;

  constructor(private readonly options: ScriptedCaptureOptions = {}) {}

  /** Append changes to an open stream. */
  emit(...changes: Change[]): void {
    this.more.push(...changes);
    this.wakeStream();
  }

  async prepare(): Promise<Continuity> {
    this.prepared += 1;
    return { resumed: this.options.resumed ?? true, startPosition: zeroLsn };
  }

  async *snapshot(scope: SnapshotScope, pageSize = 1000): AsyncIterable<SnapshotPage> {
    this.snapshots.push(scope);
    const rows = this.options.rows ?? [];
    for (let i = 0; i < rows.length; i += pageSize) yield { keys: rows.slice(i, i + pageSize) };
  }

  async estimateRows(): Promise<number | null> {
    return this.options.rows?.length ?? 0;
  }

  async *changes(signal: AbortSignal): AsyncIterable<Change> {
    for (const change of this.options.changes ?? []) yield change;
    if (this.options.failWith) throw this.options.failWith;
    if (!this.options.keepOpen) return;
    while (!signal.aborted) {
      const next = this.more.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakeStream = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  async lagBytes(): Promise<bigint | null> {
    return 0n;
  }

  async close(): Promise<void> {}
}
