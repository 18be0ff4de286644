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
  /**
   * Which columns (by position) a change must carry, when not all: the key, the identity and
   * the columns resolution reads. The rest are stepped over by the decoder.
   */
  readonly wanted?: readonly boolean[];
}

type RelationMessage = Extract<PgOutputMessage, { tag: 'relation' }>;

/**
 * `needed`: the columns resolution reads from a change of this table (absent: every column).
 * Key and identity columns are always kept.
 */
export function knownRelation(
  message: RelationMessage,
  primaryKey: readonly string[],
  needed?: ReadonlySet<string>,
): KnownRelation {
  const identityColumns = message.columns.filter((c) => c.isKey).map((c) => c.name) as ColumnName[];
  const keyColumns = (primaryKey.length > 0 ? primaryKey : identityColumns) as ColumnName[];
  const known = {
    table: { schema: message.namespace as SchemaName, table: message.name as TableName },
    columns: message.columns,
    keyColumns,
    identityColumns,
  };
  if (needed === undefined) return known;
  // Under FULL every column is an identity column, but an old tuple is keyed by the primary
  // key when there is one; otherwise (USING INDEX, or FULL without a key) by the identity.
  const byIdentity = !(message.replicaIdentity === 'f' && primaryKey.length > 0);
  const wanted = message.columns.map(
    (c) =>
      (byIdentity && c.isKey) || needed.has(c.name) || (keyColumns as readonly string[]).includes(c.name),
  );
  return wanted.every(Boolean) ? known : { ...known, wanted };
}

function tupleToRow(relation: KnownRelation, tuple: Tuple, fallback?: Row): Row {
  const row: Record<string, Value> = {};
  // A plain loop: this runs for every cell of every change.
  const { columns } = relation;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as RelationColumn;
    const cell = tuple[i];
    if (cell?.kind === 'skipped') continue;
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
