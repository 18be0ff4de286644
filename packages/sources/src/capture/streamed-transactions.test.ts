import { parseSchemaName, parseTableName } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from './change.js';
import { StreamedTransactions } from './streamed-transactions.js';

const t = { schema: parseSchemaName('public'), table: parseTableName('t') };
const upsert = (id: number): ChangeEvent => ({
  kind: 'upsert',
  table: t,
  keyColumns: [],
  key: [{ kind: 'int4', value: id }],
  row: {},
});
const ids = (events: ChangeEvent[]) => events.map((e) => (e.kind === 'upsert' ? e.key[0] : null));
const int = (value: number) => ({ kind: 'int4', value });

describe('StreamedTransactions', () => {
  it('releases a transaction whole at its commit, across segments, in stream order', () => {
    const held = new StreamedTransactions();
    held.start(7, true);
    held.add(7, 7, [upsert(1)]);
    held.start(7, false);
    held.add(7, 7, [upsert(2)]);
    expect(ids(held.take(7))).toEqual([int(1), int(2)]);
    expect(held.take(7)).toEqual([]);
  });

  it('drops only the changes of a rolled-back subtransaction', () => {
    const held = new StreamedTransactions();
    held.start(7, true);
    held.add(7, 7, [upsert(1)]);
    held.add(7, 8, [upsert(2)]);
    held.add(7, 9, [upsert(3)]);
    held.abort(7, 8);
    expect(ids(held.take(7))).toEqual([int(1), int(3)]);
  });

  it('drops everything of an aborted transaction', () => {
    const held = new StreamedTransactions();
    held.start(7, true);
    held.add(7, 7, [upsert(1)]);
    held.abort(7, 7);
    expect(held.take(7)).toEqual([]);
  });
});
