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

describe('OpenSearch emulator: 64-bit external versions', () => {
  const raw = async (body: string) => {
    const res = await fetch(`${emu.url}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  const line = (version: string, type: string) =>
    `{"index":{"_index":"big-ver","_id":"1","version":${version},"version_type":"${type}"}}\n{"v":"${version}"}\n`;
  const statuses = (text: string) => [...text.matchAll(/"status":(\d+)/g)].map((m) => Number(m[1]));

  it('compares versions past 2^53 exactly and shows them exactly', async () => {
    expect(statuses((await raw(line('9007199254740993', 'external'))).text)).toEqual([201]);
    // One below, though equal as doubles: older, refused.
    expect(statuses((await raw(line('9007199254740992', 'external_gte'))).text)).toEqual([409]);
    // Equal: a conflict for external, not for external_gte.
    expect(statuses((await raw(line('9007199254740993', 'external'))).text)).toEqual([409]);
    expect(statuses((await raw(line('9007199254740993', 'external_gte'))).text)).toEqual([200]);
    const got = await fetch(`${emu.url}/big-ver/_doc/1`).then((r) => r.text());
    expect(got).toContain('"_version":9007199254740993');
    expect(statuses((await raw(line('9223372036854775807', 'external'))).text)).toEqual([200]);
  });

  it('refuses a version beyond a Java long with a 400 for the whole request', async () => {
    const res = await raw(line('9223372036854775808', 'external'));
    expect(res.status).toBe(400);
  });
});
