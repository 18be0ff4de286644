// Thin change events: a change names a table and a row key; documents are rebuilt
// from current rows, so a replayed change is harmless (at-least-once delivery).
import type { Lsn } from '../lsn/lsn.js';
import type { ColumnName, SchemaName, TableName } from '../names/names.js';
import type { Value } from '../values/value.js';

export interface QualifiedTable {
  readonly schema: SchemaName;
  readonly table: TableName;
}

/** Column values of one row, by column name; absent = unchanged TOAST or not sent. */
export type Row = Readonly<Record<string, Value>>;

/** Primary-key values in key-column order, typed as the document builder reads them back. */
export type RowKey = readonly Value[];

export type ChangeEvent =
  | {
      readonly kind: 'upsert';
      readonly table: QualifiedTable;
      readonly keyColumns: readonly ColumnName[];
      readonly key: RowKey;
      readonly row: Row;
      /** The row before an update, when replica identity provides it (FULL, or key columns only). */
      readonly oldRow?: Row;
    }
  | {
      readonly kind: 'delete';
      readonly table: QualifiedTable;
      readonly keyColumns: readonly ColumnName[];
      readonly key: RowKey;
      /** The deleted row as replica identity provides it (FULL: every column; DEFAULT: key only). */
      readonly oldRow?: Row;
    }
  | { readonly kind: 'truncate'; readonly tables: readonly QualifiedTable[] };

/** One change, its commit's end LSN, and the ack that lets the source confirm past it. */
export interface Change {
  readonly event: ChangeEvent;
  /** End LSN of the commit this change belongs to: the only position ever confirmed. */
  readonly position: Lsn;
  /** True for changes of a transaction Postgres streamed before its commit (held until the stream commit). */
  readonly streamed?: boolean;
  /** Marks this change durable in every sink. Idempotent; order across changes does not matter. */
  ack(): void;
}

export function tableKey(table: QualifiedTable): string {
  return `${table.schema}.${table.table}`;
}
