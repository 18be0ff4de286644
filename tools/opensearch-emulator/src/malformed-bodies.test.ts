import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatch } from './dispatch.js';
import { Faults } from './faults.js';
import { stringifyLossless } from './json/lossless.js';
import { Store } from './store.js';

// Every endpoint the emulator serves, with a body slot the fuzzer fills.
const ENDPOINTS: [string, string][] = [
  ['PUT', '/fuzz'],
  ['PUT', '/fuzz/_doc/1'],
  ['POST', '/fuzz/_doc'],
  ['PUT', '/fuzz/_create/2'],
  ['POST', '/fuzz/_update/1'],
  ['POST', '/_bulk'],
  ['POST', '/fuzz/_bulk'],
  ['POST', '/fuzz/_search'],
  ['POST', '/_search'],
  ['POST', '/fuzz/_count'],
  ['POST', '/_msearch'],
  ['POST', '/_mget'],
  ['POST', '/fuzz/_mget'],
  ['POST', '/fuzz/_delete_by_query'],
  ['POST', '/_aliases'],
  ['PUT', '/fuzz/_alias/a'],
  ['PUT', '/fuzz/_mapping'],
  ['PUT', '/fuzz/_settings'],
  ['PUT', '/_index_template/t'],
  ['PUT', '/_component_template/c'],
  ['POST', '/_search/scroll'],
  ['DELETE', '/_search/scroll'],
  ['DELETE', '/_search/point_in_time'],
  ['PUT', '/_cluster/settings'],
];

// Integers beyond 2^53 parse to bigint, which plain JSON cannot write back:
// every shape also comes with its numbers made that large.
const enlarge = (v: unknown): unknown =>
  typeof v === 'number'
    ? BigInt(Math.trunc(v)) * 10n ** 17n + 1n
    : Array.isArray(v)
      ? v.map(enlarge)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enlarge(x)]))
        : v;
const value = fc.oneof(fc.jsonValue(), fc.jsonValue().map(enlarge));
const text = stringifyLossless;

const jsonish = fc.oneof(
  fc.json(),
  fc.string(),
  value.map(text),
  value.map((v) => text({ query: v })),
  value.map((v) => text({ actions: [v] })),
  value.map((v) => text({ docs: [v], ids: v })),
  value.map((v) => text({ doc: v, upsert: v })),
  value.map((v) => text({ mappings: v, settings: v, aliases: v })),
  value.map((v) => text({ properties: { f: v }, dynamic: v, _source: v, mappings: v })),
  value.map((v) => text({ aggs: { a: v }, sort: v, _source: v })),
  value.map((v) =>
    text({ index_patterns: ['fuzz*'], template: { settings: v, mappings: v }, persistent: v }),
  ),
  fc.array(value).map((lines) => `${lines.map(text).join('\n')}\n`),
);

function seeded(): Store {
  const store = new Store();
  const faults = new Faults();
  dispatch(store, faults, {
    method: 'PUT',
    path: '/fuzz/_doc/1',
    query: new URLSearchParams('refresh=true'),
    text: '{"n":1,"s":"x"}',
  });
  return store;
}

// Bulk bodies with bad items answer 200 with per-item errors; the rest answer 4xx.
const HAND_PICKED: [string, string, string][] = [
  ['POST', '/fuzz/_search', '{"query":{"ids":{}}}'],
  ['POST', '/fuzz/_search', '{"query":{"terms":{"n":5}}}'],
  ['POST', '/fuzz/_search', '{"query":{"bool":"x"}}'],
  ['POST', '/fuzz/_search', '{"query":{"wrapper":{"query":"!!"}}}'],
  ['POST', '/fuzz/_search', '{"query":{"terms":{"n":{"index":"nope","id":"1","path":"n"}}}}'],
  ['POST', '/fuzz/_search', '{"query":{"constant_score":{}}}'],
  ['POST', '/fuzz/_search', '{"query":{"simple_query_string":{}}}'],
  ['POST', '/fuzz/_search', '{"aggs":null,"sort":5,"_source":5}'],
  ['POST', '/fuzz/_search', '{"search_after":[1]}'],
  ['POST', '/_bulk', '{"index":"x"}\n{}\n'],
  ['POST', '/_bulk', '{"index":{"_index":"fuzz","_id":"1"}}\n[1]\n'],
  ['POST', '/_bulk', '{"update":{"_index":"fuzz","_id":"1"}}\n{"doc":1}\n'],
  ['POST', '/fuzz/_update/1', '{"doc":1}'],
  ['POST', '/_aliases', '{"actions":[{"add":null}]}'],
  ['POST', '/_msearch', '[]\n{}\n'],
  ['POST', '/_mget', '{"docs":[null]}'],
  ['PUT', '/fuzz2', '{"mappings":{"properties":{"a":5}}}'],
  ['PUT', '/fuzz/_settings', '{"docs":[{"toString":""}],"ids":{"toString":""}}'],
];

describe('malformed bodies', () => {
  it.each(HAND_PICKED)('answers %s %s %s with an OpenSearch error', (method, path, text) => {
    const out = dispatch(seeded(), new Faults(), { method, path, query: new URLSearchParams(), text });
    expect(out.status, String(out.body)).toBeLessThan(500);
    if (out.status === 200) expect(JSON.parse(String(out.body)).errors).toBe(true);
    else expect(out.status, String(out.body)).toBeGreaterThanOrEqual(400);
  });

  it('answers every malformed body with an OpenSearch error, never a 500', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENDPOINTS), jsonish, ([method, path], text) => {
        const out = dispatch(seeded(), new Faults(), { method, path, query: new URLSearchParams(), text });
        expect(out.status, `${method} ${path} ${text} -> ${out.body}`).toBeLessThan(500);
      }),
      { numRuns: 1500 },
    );
  });
});
