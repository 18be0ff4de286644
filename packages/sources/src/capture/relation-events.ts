// Turns decoded row messages into thin change events keyed by the primary key.
// A key change becomes delete-old + upsert-new; old rows (replica identity) ride
// along so a child's old parent can be rebuilt too.

import type { ChangeEvent, QualifiedTable, Row, RowKey } from '@flusso/core';
import { type ColumnName, FlussoError, type SchemaName, type TableName, type Value } from '@flusso/core';
import type { PgOutputMessage, RelationColumn, Tuple } from '../pgoutput/messages.js';
import { textToValue } from './cell-values.js';

export interface KnownRelation {
  readonly table: QualifiedTable;
  readonly columns: readonly RelationColumn[];
  /** Primary-key columns in key order (from the catalog, not replica-identity flags). */
  readonly keyColumns: readonly ColumnName[];
  /**
   * The replica identity's columns (the relation message's key flags): all an old
   * tuple is sure to carry. Under REPLICA IDENTITY USING INDEX on another unique
   * index than the primary key, a delete carries these and no primary key value.
   */
  readonly identityColumns: readonly ColumnName[];
}

type RelationMessage = Extract<PgOutputMessage, { tag: 'relation' }>;

export function knownRelation(message: RelationMessage, primaryKey: readonly string[]): KnownRelation {
  const identityColumns = message.columns.filter((c) => c.isKey).map((c) => c.name) as ColumnName[];
  const keyColumns = (primaryKey.length > 0 ? primaryKey : identityColumns) as ColumnName[];
  return {
    table: { schema: message.namespace as SchemaName, table: message.name as TableName },
    columns: message.columns,
    keyColumns,
    identityColumns,
  };
}

function tupleToRow(relation: KnownRelation, tuple: Tuple, fallback?: Row): Row {
  const row: Record<string, Value> = {};
  // A plain loop: this runs for every cell of every change.
  const { columns } = relation;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as RelationColumn;
    const cell = tuple[i];
    if (!cell || cell.kind === 'unchanged') {
      const old = fallback?.[column.name];
      if (old) row[column.name] = old;
      continue;
    }
    if (cell.kind === 'null') row[column.name] = { kind: 'null' };
    else if (cell.kind === 'text') row[column.name] = textToValue(cell.value, column.typeOid);
    else row[column.name] = { kind: 'bytes', value: cell.value };
  }
  return row;
}

function keyOf(columns: readonly ColumnName[], row: Row): RowKey | null {
  const key: Value[] = [];
  for (const column of columns) {
    const value = row[column];
    if (!value || value.kind === 'null') return null;
    key.push(value);
  }
  return key;
}

/** An old tuple's key: its primary key, else (identity on another index) the identity's columns. */
function oldKeyOf(
  relation: KnownRelation,
  row: Row,
): { keyColumns: readonly ColumnName[]; key: RowKey } | null {
  for (const keyColumns of [relation.keyColumns, relation.identityColumns]) {
    const key = keyColumns.length > 0 ? keyOf(keyColumns, row) : null;
    if (key) return { keyColumns, key };
  }
  return null;
}

function sameKey(a: RowKey, b: RowKey): boolean {
  return (
    a.length === b.length && a.every((v, i) => JSON.stringify(v, replacer) === JSON.stringify(b[i], replacer))
  );
}

function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function missingKey(relation: KnownRelation): never {
  throw new FlussoError(
    'decode_failed',
    `change on ${relation.table.schema}.${relation.table.table} carries no primary key value`,
    {
      context: { table: `${relation.table.schema}.${relation.table.table}` },
    },
  );
}

type RowMessage = Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' }>;

export function rowEvents(relation: KnownRelation, message: RowMessage): ChangeEvent[] {
  const { table, keyColumns } = relation;
  if (message.tag === 'insert') {
    const row = tupleToRow(relation, message.newTuple);
    return [{ kind: 'upsert', table, keyColumns, key: keyOf(keyColumns, row) ?? missingKey(relation), row }];
  }
  if (message.tag === 'delete') {
    const oldRow = tupleToRow(relation, message.oldTuple);
    const old = oldKeyOf(relation, oldRow) ?? missingKey(relation);
    return [{ kind: 'delete', table, ...old, oldRow }];
  }
  const oldRow = message.oldTuple ? tupleToRow(relation, message.oldTuple) : undefined;
  const row = tupleToRow(relation, message.newTuple, oldRow);
  const key = keyOf(keyColumns, row) ?? missingKey(relation);
  const old = oldRow ? oldKeyOf(relation, oldRow) : null;
  if (old && oldRow && (old.keyColumns !== keyColumns || !sameKey(old.key, key))) {
    return [
      { kind: 'delete', table, ...old, oldRow },
      { kind: 'upsert', table, keyColumns, key, row },
    ];
  }
  return [{ kind: 'upsert', table, keyColumns, key, row, ...(oldRow ? { oldRow } : {}) }];
}
