// Documents against mappings as OpenSearch 2.x parses them (`DocumentParser`, the field
// mappers, `MapperService` limits): dynamic types from the JSON the client sent (`1.0` is a
// float, a date-like string a date), field names it refuses, values explicit mappings
// refuse or accept (ip, coerce, ignore_malformed, unsigned_long), mapping limits, and a
// refused document never changing the mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;
let n = 0;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
});
afterAll(async () => {
  await emu?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: replies are read field by field in assertions
type Reply = any;

async function call(method: string, path: string, body?: string): Promise<{ status: number; json: Reply }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, json: await res.json() };
}

async function index(body?: object): Promise<string> {
  n += 1;
  const name = `dm${n}`;
  expect((await call('PUT', `/${name}`, body === undefined ? undefined : JSON.stringify(body))).status).toBe(
    200,
  );
  return name;
}

async function properties(name: string): Promise<Record<string, Reply>> {
  return (await call('GET', `/${name}/_mapping`)).json[name].mappings.properties ?? {};
}

describe('OpenSearch emulator: dynamic mapping types', () => {
  it('types new fields from the JSON text: 1.0 and 1e3 float, 1 long, date-like strings date', async () => {
    const name = await index();
    const doc =
      '{"f":1.0,"e":1e3,"i":1,"big":-12,"d":"2020-01-01","dt":"2020-01-01T10:00:00Z","ym":"2020-01",' +
      '"n":"12","x":"1.5","s":"hello","slash":"2015/09/02","nulls":[null],"arr":[null,2.5],"b":true}';
    expect((await call('PUT', `/${name}/_doc/1`, doc)).status).toBe(201);
    const p = await properties(name);
    const text = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    expect(p).toEqual({
      f: { type: 'float' },
      e: { type: 'float' },
      i: { type: 'long' },
      big: { type: 'long' },
      d: { type: 'date' },
      dt: { type: 'date' },
      ym: { type: 'date' },
      n: text,
      x: text,
      s: text,
      slash: { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' },
      arr: { type: 'float' },
      b: { type: 'boolean' },
    });
    // The detected date field now refuses text that is no date.
    const bad = await call('PUT', `/${name}/_doc/2`, '{"d":"not a date"}');
    expect(bad.status).toBe(400);
    expect(bad.json.error.type).toBe('mapper_parsing_exception');
  });

  it('follows numeric_detection and date_detection', async () => {
    const numeric = await index({ mappings: { numeric_detection: true } });
    await call('PUT', `/${numeric}/_doc/1`, '{"a":"12","b":"1.5","c":"2020-01-01"}');
    expect(await properties(numeric)).toMatchObject({
      a: { type: 'long' },
      b: { type: 'float' },
      c: { type: 'date' },
    });
    const noDates = await index({ mappings: { date_detection: false } });
    await call('PUT', `/${noDates}/_doc/1`, '{"c":"2020-01-01"}');
    expect((await properties(noDates)).c.type).toBe('text');
  });

  it('expands dotted field names into objects', async () => {
    const name = await index();
    expect((await call('PUT', `/${name}/_doc/1`, '{"o.p":1,"o":{"q":"2020-01-01"}}')).status).toBe(201);
    expect(await properties(name)).toEqual({
      o: { properties: { p: { type: 'long' }, q: { type: 'date' } } },
    });
  });

  it('leaves the mapping unchanged when a document is refused', async () => {
    const name = await index({ mappings: { properties: { i: { type: 'integer' } } } });
    const res = await call('PUT', `/${name}/_doc/1`, '{"fresh":"x","deep":{"y":1},"i":"not a number"}');
    expect(res.status).toBe(400);
    expect(await properties(name)).toEqual({ i: { type: 'integer' } });
  });
});

describe('OpenSearch emulator: field names and values OpenSearch refuses or accepts', () => {
  const names: [string, string | null][] = [
    ['{"":1}', 'field name cannot be an empty string'],
    ['{"a..b":1}', 'object field starting or ending with a [.] makes object resolution ambiguous: [a..b]'],
    ['{".a":1}', 'object field starting or ending with a [.] makes object resolution ambiguous: [.a]'],
    ['{".":1}', 'field name cannot contain only dots'],
    ['{"a. .b":1}', "object field cannot contain only whitespace: ['a. .b']"],
    ['{"o":{"":1}}', 'field name cannot be an empty string'],
    ['{" ":1}', null],
    ['{"a b":1}', null],
  ];
  for (const [doc, reason] of names)
    it(`${doc}: ${reason ?? 'accepted'}`, async () => {
      const name = await index();
      const res = await call('PUT', `/${name}/_doc/1`, doc);
      if (reason === null) expect(res.status).toBe(201);
      else {
        expect(res.status).toBe(400);
        expect(res.json.error).toMatchObject({
          type: 'mapper_parsing_exception',
          reason: 'failed to parse',
          caused_by: { type: 'illegal_argument_exception', reason },
        });
      }
    });

  const values: [string, object, string, number][] = [
    ['ip with CIDR', { type: 'ip' }, '"10.0.0.0/8"', 400],
    ['ip short form', { type: 'ip' }, '"1.2.3"', 400],
    ['ip v4', { type: 'ip' }, '"192.168.0.1"', 201],
    ['ip v4-mapped v6', { type: 'ip' }, '"::ffff:1.2.3.4"', 201],
    ['ip number', { type: 'ip' }, '5', 400],
    ['coerce false, string', { type: 'integer', coerce: false }, '"5"', 400],
    ['coerce false, fraction', { type: 'integer', coerce: false }, '5.5', 400],
    ['coerce false, integer', { type: 'integer', coerce: false }, '5', 201],
    ['coerce false, float field fraction', { type: 'float', coerce: false }, '5.5', 201],
    ['coerce (default), string', { type: 'integer' }, '"5"', 201],
    ['coerce (default), fraction', { type: 'long' }, '5.7', 201],
    ['ignore_malformed, text in integer', { type: 'integer', ignore_malformed: true }, '"x"', 201],
    ['ignore_malformed, bad date', { type: 'date', ignore_malformed: true }, '"2020-13-45"', 201],
    ['no ignore_malformed, bad date', { type: 'date' }, '"2020-13-45"', 400],
    ['unsigned_long max', { type: 'unsigned_long' }, '18446744073709551615', 201],
    ['unsigned_long over max', { type: 'unsigned_long' }, '18446744073709551616', 400],
    ['unsigned_long negative', { type: 'unsigned_long' }, '-1', 400],
    ['long max', { type: 'long' }, '9223372036854775807', 201],
  ];
  for (const [what, mapping, value, status] of values)
    it(`${what}: ${status}`, async () => {
      const name = await index({ mappings: { properties: { v: mapping } } });
      const res = await call('PUT', `/${name}/_doc/1`, `{"v":${value}}`);
      expect(res.status).toBe(status);
      if (status === 400) expect(res.json.error.type).toBe('mapper_parsing_exception');
    });
});

describe('OpenSearch emulator: mapping limits', () => {
  it('refuses a document whose new fields pass index.mapping.total_fields.limit (multi-fields count)', async () => {
    const name = await index({ settings: { 'index.mapping.total_fields.limit': 3 } });
    expect((await call('PUT', `/${name}/_doc/1`, '{"a":1,"t":"text"}')).status).toBe(201); // a, t, t.keyword
    const over = await call('PUT', `/${name}/_doc/2`, '{"b":1}');
    expect(over.status).toBe(400);
    expect(over.json.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: `Limit of total fields [3] in index [${name}] has been exceeded`,
    });
    expect(Object.keys(await properties(name)).sort()).toEqual(['a', 't']);
    expect((await call('PUT', `/${name}/_doc/3`, '{"a":2,"t":"known fields still write"}')).status).toBe(201);
  });

  it('refuses objects deeper than index.mapping.depth.limit', async () => {
    const name = await index({ settings: { 'index.mapping.depth.limit': 2 } });
    expect((await call('PUT', `/${name}/_doc/1`, '{"a":{"b":1}}')).status).toBe(201);
    const deep = await call('PUT', `/${name}/_doc/2`, '{"x":{"y":{"z":1}}}');
    expect(deep.status).toBe(400);
    expect(deep.json.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: `Limit of mapping depth [2] in index [${name}] has been exceeded due to object field [x.y]`,
    });
  });

  it('holds 1000 fields by default, refusing the 1001st in a bulk item', async () => {
    const name = await index();
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, i]));
    const res = await fetch(`${emu.url}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ index: { _index: name, _id: '1' } })}\n${JSON.stringify(many)}\n${JSON.stringify({ index: { _index: name, _id: '2' } })}\n{"one_more":1}\n`,
    });
    const items = (
      (await res.json()) as { items: Record<string, { status: number; error?: { type: string } }>[] }
    ).items;
    expect(items.map((i) => Object.values(i)[0]?.status)).toEqual([201, 400]);
    expect(Object.values(items[1] ?? {})[0]?.error?.type).toBe('illegal_argument_exception');
  });
});

describe('OpenSearch emulator: mapping limits on explicit mappings', () => {
  it('refuses an index created, or a mapping put, past index.mapping.total_fields.limit', async () => {
    const props = (k: number, from = 0) =>
      Object.fromEntries(Array.from({ length: k }, (_, i) => [`f${from + i}`, { type: 'keyword' }]));
    n += 1;
    const created = await call(
      'PUT',
      `/lim${n}`,
      JSON.stringify({
        settings: { 'index.mapping.total_fields.limit': 4 },
        mappings: { properties: props(5) },
      }),
    );
    expect(created.status).toBe(400);
    expect(created.json.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: `Limit of total fields [4] in index [lim${n}] has been exceeded`,
    });
    const name = await index({
      settings: { 'index.mapping.total_fields.limit': 4 },
      mappings: { properties: props(3) },
    });
    const put = await call('PUT', `/${name}/_mapping`, JSON.stringify({ properties: props(2, 3) }));
    expect(put.status).toBe(400);
    expect(put.json.error.type).toBe('illegal_argument_exception');
    expect(Object.keys(await properties(name)).sort()).toEqual(['f0', 'f1', 'f2']);
    expect((await call('PUT', `/${name}/_mapping`, JSON.stringify({ properties: props(1, 3) }))).status).toBe(
      200,
    );
  });
});

describe('OpenSearch emulator: what a field indexes of a value it accepts', () => {
  it('ignore_above, null_value and ignore_malformed shape what queries and aggregations see, never _source', async () => {
    const name = await index({
      mappings: {
        properties: {
          k: { type: 'keyword', ignore_above: 3 },
          nv: { type: 'keyword', null_value: 'NULL' },
          i: { type: 'integer', ignore_malformed: true },
        },
      },
    });
    await call('PUT', `/${name}/_doc/1`, '{"k":"abcdef","nv":null,"i":"x"}');
    await call('PUT', `/${name}/_doc/2`, '{"k":["ab","abcd"],"nv":"v","i":[5,"y"]}');
    await call('POST', `/${name}/_refresh`);
    const count = async (query: object) =>
      (await call('POST', `/${name}/_count`, JSON.stringify({ query }))).json.count;
    expect(await count({ term: { k: 'abcdef' } })).toBe(0);
    expect(await count({ term: { k: 'abcd' } })).toBe(0);
    expect(await count({ exists: { field: 'k' } })).toBe(1);
    expect(await count({ term: { nv: 'NULL' } })).toBe(1);
    expect(await count({ exists: { field: 'nv' } })).toBe(2);
    expect(await count({ exists: { field: 'i' } })).toBe(1);
    expect(await count({ term: { i: 5 } })).toBe(1);
    const aggs = await call(
      'POST',
      `/${name}/_search`,
      JSON.stringify({ size: 0, aggs: { t: { terms: { field: 'k' } } } }),
    );
    expect(aggs.json.aggregations.t.buckets).toEqual([{ key: 'ab', doc_count: 1 }]);
    const got = await call('GET', `/${name}/_doc/1`);
    expect(got.json._source).toEqual({ k: 'abcdef', nv: null, i: 'x' });
  });
});
