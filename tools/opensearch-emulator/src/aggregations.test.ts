import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './server.js';

let emu: Emulator;
let client: Client;

const products = [
  { name: 'Red Apple', kind: 'fruit', price: 3, stock: 10 },
  { name: 'Green Apple', kind: 'fruit', price: 5, stock: 0 },
  { name: 'Banana', kind: 'fruit', price: 1, stock: 7 },
  { name: 'Carrot', kind: 'veg', price: 2, stock: 4 },
  { name: 'Leek', kind: 'veg', price: 4 },
  { name: 'Salt', kind: 'spice', price: 9, stock: 1 },
];

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  client = new Client({ node: emu.url });
  await client.indices.create({
    index: 'shop',
    body: {
      mappings: {
        properties: {
          name: { type: 'text', fields: { keyword: { type: 'keyword' } } },
          kind: { type: 'keyword' },
          price: { type: 'integer' },
          stock: { type: 'integer' },
        },
      },
    },
  });
  await client.bulk({
    refresh: true,
    body: products.flatMap((p, i) => [{ index: { _index: 'shop', _id: String(i + 1) } }, p]),
  });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

type Body = Record<string, unknown>;
const search = async (body: Body): Promise<Body> =>
  (await client.search({ index: 'shop', body: body as never })).body as unknown as Body;
const aggsOf = async (body: Body) => (await search(body)).aggregations as Record<string, Body>;
const failure = (e: unknown) =>
  (e as { meta: { statusCode: number; body: { error: Body; status: number } } }).meta;

describe('emulator aggregations', () => {
  it('buckets terms by count desc then key asc, with a metric sub-aggregation and sum_other_doc_count', async () => {
    const aggs = await aggsOf({
      size: 0,
      aggs: {
        kinds: { terms: { field: 'kind', size: 2 }, aggs: { avg_price: { avg: { field: 'price' } } } },
      },
    });
    expect(aggs.kinds).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 1,
      buckets: [
        { key: 'fruit', doc_count: 3, avg_price: { value: 3 } },
        { key: 'veg', doc_count: 2, avg_price: { value: 3 } },
      ],
    });
  });

  it('aggregates every matched doc even with size: 0 and from/size paging, and reads name.keyword from name', async () => {
    const res = await search({
      size: 0,
      query: { term: { kind: 'fruit' } },
      aggregations: {
        names: { terms: { field: 'name.keyword' } },
        prices: { terms: { field: 'price', order: { _key: 'desc' } } },
        n: { value_count: { field: 'stock' } },
        distinct: { cardinality: { field: 'kind' } },
        total: { sum: { field: 'stock' } },
      },
    });
    expect((res.hits as Body).hits).toEqual([]);
    const aggs = res.aggregations as Record<string, Body>;
    expect(((aggs.names?.buckets ?? []) as Body[]).map((b) => b.key)).toEqual([
      'Banana',
      'Green Apple',
      'Red Apple',
    ]);
    expect(((aggs.prices?.buckets ?? []) as Body[]).map((b) => b.key)).toEqual([5, 3, 1]);
    expect(aggs.n).toEqual({ value: 3 });
    expect(aggs.distinct).toEqual({ value: 1 });
    expect(aggs.total).toEqual({ value: 17 });
  });

  it('answers filter and named filters buckets with their sub-aggregations', async () => {
    const aggs = await aggsOf({
      size: 0,
      aggs: {
        cheap: { filter: { range: { price: { lte: 2 } } }, aggs: { top: { max: { field: 'price' } } } },
        split: {
          filters: { filters: { veg: { term: { kind: 'veg' } }, apples: { match: { name: 'apple' } } } },
          aggs: { stock: { sum: { field: 'stock' } } },
        },
      },
    });
    expect(aggs.cheap).toEqual({ doc_count: 2, top: { value: 2 } });
    expect(aggs.split).toEqual({
      buckets: { apples: { doc_count: 2, stock: { value: 10 } }, veg: { doc_count: 2, stock: { value: 4 } } },
    });
  });

  it('returns top_hits honouring size, sort and _source filtering', async () => {
    const aggs = await aggsOf({
      size: 0,
      aggs: {
        kinds: {
          terms: { field: 'kind', size: 1 },
          aggs: { priciest: { top_hits: { size: 2, sort: [{ price: 'desc' }], _source: ['name'] } } },
        },
        any: { top_hits: {} },
      },
    });
    const bucket = ((aggs.kinds?.buckets ?? []) as Body[])[0] as Body;
    expect(bucket.priciest).toEqual({
      hits: {
        total: { value: 3, relation: 'eq' },
        max_score: null,
        hits: [
          { _index: 'shop', _id: '2', _score: null, _source: { name: 'Green Apple' }, sort: [5] },
          { _index: 'shop', _id: '1', _score: null, _source: { name: 'Red Apple' }, sort: [3] },
        ],
      },
    });
    const any = (aggs.any?.hits ?? {}) as Body;
    expect(any.total).toEqual({ value: 6, relation: 'eq' });
    expect(any.max_score).toBe(1);
    expect((any.hits as Body[]).length).toBe(3);
    expect((any.hits as Body[])[0]).toMatchObject({ _index: 'shop', _score: 1, _source: products[0] });
  });

  it('answers null min/max/avg, zero sum and no buckets over no docs', async () => {
    const aggs = await aggsOf({
      query: { term: { kind: 'mineral' } },
      aggs: {
        min: { min: { field: 'price' } },
        max: { max: { field: 'price' } },
        avg: { avg: { field: 'price' } },
        sum: { sum: { field: 'price' } },
        kinds: { terms: { field: 'kind' } },
      },
    });
    expect(aggs).toEqual({
      min: { value: null },
      max: { value: null },
      avg: { value: null },
      sum: { value: 0 },
      kinds: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [] },
    });
  });

  it('lets global ignore the query and see every doc of the searched index', async () => {
    const aggs = await aggsOf({
      size: 0,
      query: { term: { kind: 'spice' } },
      aggs: {
        everything: { global: {}, aggs: { kinds: { cardinality: { field: 'kind' } } } },
        matched: { value_count: { field: 'kind' } },
      },
    });
    expect(aggs.everything).toEqual({ doc_count: 6, kinds: { value: 3 } });
    expect(aggs.matched).toEqual({ value: 1 });
  });

  it('aggregates in _msearch bodies and omits aggregations when none are asked for', async () => {
    const ms = await client.msearch({
      body: [
        { index: 'shop' },
        { size: 0, aggs: { n: { max: { field: 'stock' } } } } as never,
        { index: 'shop' },
        {},
      ],
    });
    const [withAggs, without] = ms.body.responses as Body[];
    expect(withAggs?.aggregations).toEqual({ n: { value: 10 } });
    expect(without).not.toHaveProperty('aggregations');
  });

  it('rejects an unknown aggregation type, even nested under an empty bucket, with a 400 parsing_exception', async () => {
    for (const aggs of [
      { h: { histogram: { field: 'kind', interval: 1 } } },
      { t: { terms: { field: 'nothing' }, aggs: { s: { bogus: {} } } } },
    ]) {
      const err = failure(await search({ aggs }).catch((e: unknown) => e));
      expect(err.statusCode).toBe(400);
      expect(err.body.status).toBe(400);
      expect(err.body.error.type).toBe('parsing_exception');
      expect((err.body.error.root_cause as Body[])[0]?.type).toBe('parsing_exception');
      expect(err.body.error.reason).toMatch(/^Unknown aggregation type \[(histogram|bogus)\]/);
    }
  });
});
