// ChangeCapture: the source side of flusso. Continuity first (slot and publication
// before any snapshot), then an optional consistent snapshot, then live changes.
import type { Lsn } from '../lsn/lsn.js';
import type { ColumnName } from '../names/names.js';
import type { Change, QualifiedTable, RowKey } from './change.js';

export interface Continuity {
  /** False when the resume point (slot) was created fresh: every seeded index is stale. */
  readonly resumed: boolean;
  /** The position live changes start from. */
  readonly startPosition: Lsn;
}

/** One table to enumerate for backfill: its keys, read in pages. */
export interface SnapshotScope {
  readonly table: QualifiedTable;
  readonly keyColumns: readonly ColumnName[];
  /** Optional SQL predicate on the table (root filters), already validated. */
  readonly where?: string;
}

export interface SnapshotPage {
  readonly keys: readonly RowKey[];
}

export interface ChangeCapture {
  /** Create or verify the slot and publication; must precede `snapshot` and `changes`. */
  prepare(tables: readonly QualifiedTable[]): Promise<Continuity>;
  /** Keys of `scope` as of the slot's consistent point (or now, when resumed), keyset-paginated. */
  snapshot(scope: SnapshotScope, pageSize?: number): AsyncIterable<SnapshotPage>;
  /** Estimated row count of a scope, for progress (ETA); null when unknown. */
  estimateRows(scope: SnapshotScope): Promise<number | null>;
  /** Live changes from the resume point; back-pressured; ends when `signal` aborts. */
  changes(signal: AbortSignal): AsyncIterable<Change>;
  /** Bytes of WAL the slot retains beyond its confirmed position; null when unknown. */
  lagBytes(): Promise<bigint | null>;
  /** Release connections. Unacknowledged changes are redelivered next run. */
  close(): Promise<void>;
}
