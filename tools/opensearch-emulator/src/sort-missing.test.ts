// Sort values of documents without the sort field, as OpenSearch shows them: the
// comparator's substitute (`Long.MAX_VALUE`/`MIN_VALUE` for integers and dates, quoted
// `Infinity` for floating fields, null for keywords), exactly, and `search_after` with such a
// value pages on without repeating or skipping a document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  const put = (path: string, body: object) =>
    fetch(`${emu.url}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await put('/sm', {
    mappings: {
      properties: {
        n: { type: 'long' },
        i: { type: 'integer' },
        d: { type: 'date' },
        f: { type: 'double' },
        k: { type: 'keyword' },
        t: { type: 'keyword' },
      },
    },
  });
  await put('/sm/_doc/1', { n: 5, i: 5, d: '2020-01-01', f: 1.5, k: 'a' });
  await put('/sm/_doc/2', { k: 'b' });
  await put('/sm/_doc/3?refresh=true', { k: 'c' });
});
afterAll(async () => {
  await emu?.close();
});

/** The raw text of each hit's `sort` array (exact: no JSON.parse of big longs). */
async function sorts(body: string): Promise<{ id: string; sort: string }[]> {
  const res = await fetch(`${emu.url}/sm/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  return [...text.matchAll(/"_id":"(\w+)".*?"sort":(\[[^\]]*\])/g)].map((m) => ({
    id: m[1] as string,
    sort: m[2] as string,
  }));
}

describe('OpenSearch emulator: sort values of missing fields', () => {
  const cases: [string, string, string][] = [
    ['long asc', '[{"n":"asc"}]', '[9223372036854775807]'],
    ['long desc', '[{"n":"desc"}]', '[-9223372036854775808]'],
    ['integer asc', '[{"i":"asc"}]', '[9223372036854775807]'],
    ['date asc', '[{"d":"asc"}]', '[9223372036854775807]'],
    ['date desc', '[{"d":"desc"}]', '[-9223372036854775808]'],
    ['double asc', '[{"f":"asc"}]', '["Infinity"]'],
    ['double desc', '[{"f":"desc"}]', '["-Infinity"]'],
  ];
  for (const [what, sort, missing] of cases)
    it(`${what}: a document without the field shows ${missing}, sorted last`, async () => {
      const hits = await sorts(`{"sort":${sort},"_source":false,"query":{"ids":{"values":["1","2"]}}}`);
      expect(hits.map((h) => h.id)).toEqual(['1', '2']);
      expect(hits[1]?.sort).toBe(missing);
    });

  it('keyword: null; several keys: each its own substitute', async () => {
    const hits = await sorts(
      '{"sort":[{"t":"asc"},{"n":"asc"},{"f":"asc"}],"_source":false,"query":{"ids":{"values":["2"]}}}',
    );
    expect(hits[0]?.sort).toBe('[null,9223372036854775807,"Infinity"]');
  });

  for (const order of ['asc', 'desc'])
    it(`pages with search_after through documents without the field (${order}), each once`, async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const hits = await sorts(
          `{"size":1,"_source":false,"sort":[{"n":"${order}"},{"f":"${order}"},{"k":"asc"}]${after ? `,"search_after":${after}` : ''}}`,
        );
        if (hits.length === 0) break;
        seen.push(hits[0]?.id as string);
        after = hits[0]?.sort as string;
      }
      expect(seen).toEqual(['1', '2', '3']);
    });
});
