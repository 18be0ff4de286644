import type { ChangeEvent } from '@flusso/core';
import { parseSchemaName, parseTableName, type Value } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { StreamedTransactions } from './streamed-transactions.js';

const t = { schema: parseSchemaName('public'), table: parseTableName('t') };
const upsert = (id: number, extra: Record<string, Value> = {}): ChangeEvent => ({
  kind: 'upsert',
  table: t,
  keyColumns: [],
  key: [{ kind: 'int4', value: id }],
  row: extra,
});
const int = (value: number) => ({ kind: 'int4', value });

async function taken(held: StreamedTransactions, xid: number): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for await (const event of held.take(xid)) out.push(event);
  return out;
}
const ids = async (held: StreamedTransactions, xid: number) =>
  (await taken(held, xid)).map((e) => (e.kind === 'upsert' ? e.key[0] : null));

describe.each([
  ['in memory', 1000],
  ['spilled to disk', 2],
])('StreamedTransactions (%s)', (_title, memoryLimit) => {
  it('releases a transaction whole at its commit, across segments, in stream order', async () => {
    const held = new StreamedTransactions(memoryLimit);
    await held.start(7, true);
    await held.add(7, 7, [upsert(1), upsert(2)]);
    await held.start(7, false);
    await held.add(7, 7, [upsert(3)]);
    expect(await ids(held, 7)).toEqual([int(1), int(2), int(3)]);
    expect(await taken(held, 7)).toEqual([]);
  });

  it('drops only the changes of a rolled-back subtransaction', async () => {
    const held = new StreamedTransactions(memoryLimit);
    await held.start(7, true);
    await held.add(7, 7, [upsert(1)]);
    await held.add(7, 8, [upsert(2), upsert(3)]);
    await held.add(7, 9, [upsert(4)]);
    await held.abort(7, 8);
    expect(await ids(held, 7)).toEqual([int(1), int(4)]);
  });

  it('drops everything of an aborted transaction', async () => {
    const held = new StreamedTransactions(memoryLimit);
    await held.start(7, true);
    await held.add(7, 7, [upsert(1), upsert(2), upsert(3)]);
    await held.abort(7, 7);
    expect(await taken(held, 7)).toEqual([]);
  });

  it('gives back values exactly (int8 beyond 2^53, bytes, NaN)', async () => {
    const held = new StreamedTransactions(memoryLimit);
    const row: Record<string, Value> = {
      big: { kind: 'int8', value: 9007199254740993n },
      raw: { kind: 'bytes', value: new Uint8Array([0, 255]) },
      nan: { kind: 'float8', value: Number.NaN },
    };
    await held.start(7, true);
    await held.add(7, 7, [upsert(1, row), upsert(2, row)]);
    const [first] = await taken(held, 7);
    expect(first?.kind === 'upsert' && first.row).toEqual(row);
  });
});
