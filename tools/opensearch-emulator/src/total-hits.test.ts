// `hits.total` as OpenSearch writes it for each `track_total_hits`: absent → counted up to
// 10 000 (`gte` past it); `true` → exact, however many; `false` or `-1` → no total at all;
// a number → up to it; with `rest_total_hits_as_int` a plain count (-1 when not tracked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  const lines: string[] = [];
  for (let i = 0; i < 10_005; i++) lines.push(`{"index":{"_index":"th","_id":"${i}"}}`, '{}');
  const res = await fetch(`${emu.url}/_bulk?refresh=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: `${lines.join('\n')}\n`,
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await emu?.close();
});

async function total(query: string, body: object): Promise<{ status: number; total: unknown }> {
  const res = await fetch(`${emu.url}/th/_search${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: 0, ...body }),
  });
  const json = (await res.json()) as { hits?: { total?: unknown } };
  return { status: res.status, total: json.hits === undefined ? 'no hits' : (json.hits.total ?? 'absent') };
}

describe('OpenSearch emulator: hits.total per track_total_hits', () => {
  const cases: [string, string, object, unknown][] = [
    ['absent', '', {}, { value: 10_000, relation: 'gte' }],
    ['true', '', { track_total_hits: true }, { value: 10_005, relation: 'eq' }],
    ['true in the URL', '?track_total_hits=true', {}, { value: 10_005, relation: 'eq' }],
    ['false', '', { track_total_hits: false }, 'absent'],
    ['-1', '', { track_total_hits: -1 }, 'absent'],
    ['100', '', { track_total_hits: 100 }, { value: 100, relation: 'gte' }],
    ['20000', '', { track_total_hits: 20_000 }, { value: 10_005, relation: 'eq' }],
    ['as int', '?rest_total_hits_as_int=true', {}, 10_005],
    ['as int, true', '?rest_total_hits_as_int=true', { track_total_hits: true }, 10_005],
    ['as int, false', '?rest_total_hits_as_int=true', { track_total_hits: false }, -1],
  ];
  for (const [what, query, body, expected] of cases)
    it(`${what}: ${JSON.stringify(expected)}`, async () => {
      expect(await total(query, body)).toEqual({ status: 200, total: expected });
    });

  it('refuses rest_total_hits_as_int with a bounded count', async () => {
    expect((await total('?rest_total_hits_as_int=true', { track_total_hits: 100 })).status).toBe(400);
  });
});
