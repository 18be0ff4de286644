// Deletes with external versions, as OpenSearch does them: refused at or below the
// document's version, and leaving a tombstone that keeps older writes out, but only for
// `index.gc_deletes` (60s by default): past it an older write lands again.
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;
let client: Client;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  client = new Client({ node: emu.url });
});

afterAll(async () => {
  await client?.close();
  await emu?.close();
});

async function bulk(lines: readonly object[]): Promise<number[]> {
  const res = await fetch(`${emu.url}/_bulk`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
  });
  const { items } = (await res.json()) as { items: Record<string, { status: number }>[] };
  return items.map((item) => Object.values(item)[0]?.status ?? 0);
}

describe('OpenSearch emulator: externally versioned deletes', () => {
  it('refuses a delete at or below the version, and keeps an older write out after a delete', async () => {
    const ext = (action: string, version: number) => ({
      [action]: { _index: 'ext-del', _id: '1', version, version_type: 'external' },
    });
    expect(await bulk([ext('index', 10), { v: 1 }, ext('delete', 10), ext('delete', 20)])).toEqual([
      201, 409, 200,
    ]);
    expect(await bulk([ext('index', 15), { v: 2 }, ext('delete', 30), ext('index', 25), { v: 3 }])).toEqual([
      409, 404, 409,
    ]);
    expect(await bulk([ext('index', 31), { v: 4 }])).toEqual([201]);
    expect((await client.get({ index: 'ext-del', id: '1' })).body._source).toEqual({ v: 4 });
  });

  it('forgets a tombstone once it is older than index.gc_deletes', async () => {
    await client.indices.create({ index: 'gc-del', body: { settings: { 'index.gc_deletes': '150ms' } } });
    const ext = (action: string, id: string, version: number) => ({
      [action]: { _index: 'gc-del', _id: id, version, version_type: 'external_gte' },
    });
    expect(
      await bulk([ext('index', 'a', 10), { v: 1 }, ext('delete', 'a', 20), ext('index', 'a', 15), { v: 2 }]),
    ).toEqual([201, 200, 409]);
    expect(
      await bulk([
        { index: { _index: 'gc-del', _id: 'b' } },
        { v: 1 },
        { delete: { _index: 'gc-del', _id: 'b' } },
      ]),
    ).toEqual([201, 200]);
    await new Promise((r) => setTimeout(r, 250));
    // The older build replayed after the delete's version was collected: it lands (created).
    expect(await bulk([ext('index', 'a', 15), { v: 2 }])).toEqual([201]);
    expect((await client.get({ index: 'gc-del', id: 'a' })).body).toMatchObject({
      _version: 15,
      _source: { v: 2 },
    });
    // An internally versioned id starts over at version 1.
    const again = await client.index({ index: 'gc-del', id: 'b', body: { v: 2 } });
    expect(again.body).toMatchObject({ result: 'created', _version: 1 });
  });

  it('keeps tombstones for the default 60s', async () => {
    await client.indices.create({ index: 'gc-default' });
    const ext = (action: string, version: number) => ({
      [action]: { _index: 'gc-default', _id: '1', version, version_type: 'external_gte' },
    });
    expect(await bulk([ext('index', 10), { v: 1 }, ext('delete', 20)])).toEqual([201, 200]);
    await new Promise((r) => setTimeout(r, 250));
    expect(await bulk([ext('index', 15), { v: 2 }])).toEqual([409]);
  });
});
