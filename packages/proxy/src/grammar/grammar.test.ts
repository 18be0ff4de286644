import type { JsonValue } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { QUERY_POSITIONS, refusal, screen } from './grammar.fixture.js';

// Constructs that read other documents: refused in every placement and every position.
const READS_OTHERS: Readonly<Record<string, JsonValue>> = {
  wrapper: { wrapper: { query: 'eyJ0ZXJtIjp7Il90ZW5hbnQiOiJnbG9iZXgifX0=' } },
  terms_lookup: { terms: { user: { index: 'users', id: '2', path: 'followers' } } },
  mlt_like_doc: { more_like_this: { fields: ['v'], like: [{ _index: 'orders', _id: 'globex:orders:1' }] } },
  mlt_like_doc_alone: { more_like_this: { like: { _id: '1' } } },
  mlt_unlike_doc: { more_like_this: { like: 'text', unlike: [{ _index: 'orders', _id: '1' }] } },
  percolate_by_id: { percolate: { field: 'q', index: 'orders', id: '1' } },
  geo_indexed_shape: { geo_shape: { loc: { indexed_shape: { index: 'shapes', id: 'x', path: 'shape' } } } },
  stored_script: { script: { script: { id: 'my-stored' } } },
  script_score_stored: { script_score: { query: { match_all: {} }, script: { id: 'stored' } } },
  template: { template: { source: '{}' } },
  unknown_clause: { span_term: { v: 'x' } },
  two_clauses: { term: { v: 'a' }, match: { v: 'b' } },
};

// Fine for a tenant in any position.
const ALLOWED: Readonly<Record<string, JsonValue>> = {
  term: { term: { v: 'a' } },
  terms_values: { terms: { v: ['a', 'b'] } },
  mlt_text: { more_like_this: { fields: ['v'], like: ['some text', { doc: { v: 'x' } }], min_term_freq: 1 } },
  percolate_document: { percolate: { field: 'q', document: { v: 'x' } } },
  geo_inline_shape: { geo_shape: { loc: { shape: { type: 'point', coordinates: [1, 2] } } } },
  inline_script: { script: { script: { source: "doc['n'].value > 1" } } },
  range: { range: { n: { gte: 1, lte: 123456789 } } },
};

describe('query grammar: what reads other documents is refused', () => {
  for (const [position, place] of Object.entries(QUERY_POSITIONS)) {
    for (const [construct, query] of Object.entries(READS_OTHERS)) {
      it(`refuses ${construct} in ${position} (shared and dedicated)`, () => {
        for (const shared of [true, false]) {
          const refused = refusal(place(query), { shared });
          // The background filter of significant_terms is refused first on a shared index.
          expect(refused?.status).toBe(400);
        }
      });
    }
    for (const [construct, query] of Object.entries(ALLOWED)) {
      it(`accepts ${construct} in ${position} on a dedicated index`, () => {
        expect(refusal(place(query), { shared: false })).toBeUndefined();
      });
    }
  }
});

describe('query grammar: fields a shared-index tenant does not own', () => {
  const FOREIGN: Readonly<Record<string, JsonValue>> = {
    term_index: { term: { _index: 'osproxy-shared' } },
    prefix_id: { prefix: { _id: 'globex:' } },
    exists_injected: { exists: { field: '_tenant' } },
    match_injected: { match: { _index_name: 'orders' } },
    routing: { term: { _routing: 'globex' } },
    script_reads_id: { script: { script: { source: "doc['_id'].value.startsWith('g')" } } },
  };
  for (const [position, place] of Object.entries(QUERY_POSITIONS)) {
    for (const [construct, query] of Object.entries(FOREIGN)) {
      it(`refuses ${construct} in ${position}`, () => {
        expect(refusal(place(query))?.status).toBe(400);
      });
    }
  }

  it('accepts them on a dedicated index, where every field is the tenant’s', () => {
    expect(refusal({ query: { term: { _index: 'orders' } } }, { shared: false })).toBeUndefined();
  });
});

// Non-query positions: fields, statistics, scripts, top-level keys.
const SHARED_REFUSED: Readonly<Record<string, JsonValue>> = {
  global_agg: { aggs: { g: { global: {} } } },
  significant_terms: { aggs: { s: { significant_terms: { field: 'v' } } } },
  significant_text: { aggs: { s: { significant_text: { field: 'v' } } } },
  terms_min_doc_count_0: { aggs: { t: { terms: { field: 'v', min_doc_count: 0 } } } },
  multi_terms_min_doc_count_0: {
    aggs: { t: { multi_terms: { terms: [{ field: 'a' }, { field: 'b' }], min_doc_count: 0 } } },
  },
  sub_agg_min_doc_count_0: {
    aggs: {
      h: { histogram: { field: 'n', interval: 1 }, aggs: { t: { terms: { field: 'v', min_doc_count: 0 } } } },
    },
  },
  explain: { explain: true },
  inner_hits_explain: {
    query: { nested: { path: 'i', query: { match_all: {} }, inner_hits: { explain: true } } },
  },
  top_hits_explain: { aggs: { t: { top_hits: { explain: true } } } },
  sort_id: { sort: ['_id'] },
  sort_index_object: { sort: [{ _index: { order: 'asc' } }] },
  sort_injected: { sort: { _tenant: 'desc' } },
  agg_field_id: { aggs: { t: { terms: { field: '_id' } } } },
  agg_field_index: { aggs: { t: { cardinality: { field: '_index' } } } },
  agg_field_injected: { aggs: { t: { terms: { field: '_tenant' } } } },
  composite_source_id: { aggs: { c: { composite: { sources: [{ i: { terms: { field: '_id' } } }] } } } },
  multi_terms_index: { aggs: { t: { multi_terms: { terms: [{ field: '_index' }, { field: 'v' }] } } } },
  docvalue_fields_id: { docvalue_fields: ['_id'] },
  docvalue_fields_object: { docvalue_fields: [{ field: '_index', format: 'x' }] },
  fields_routing: { fields: ['_routing'] },
  stored_fields_injected: { stored_fields: ['_index_name'] },
  script_field_id: { script_fields: { x: { script: { source: "doc['_id']" } } } },
  highlight_field_injected: { highlight: { fields: { _tenant: {} } } },
  highlight_fields_list: { highlight: { fields: [{ _index_name: {} }] } },
  collapse_id: { collapse: { field: '_id' } },
  collapse_inner_sort_id: { collapse: { field: 'u', inner_hits: { name: 'x', sort: ['_id'] } } },
  top_hits_docvalue_id: { aggs: { t: { top_hits: { docvalue_fields: ['_id'] } } } },
  slice_field_id: { slice: { id: 0, max: 2, field: '_id' } },
  sort_script_id: { sort: { _script: { type: 'string', script: { source: "doc['_id'].value" } } } },
  sort_geo_injected: { sort: [{ _geo_distance: { _tenant: [0, 0], order: 'asc' } }] },
};

const REFUSED_EVERYWHERE: Readonly<Record<string, JsonValue>> = {
  suggest: { suggest: { s: { text: 'x', term: { field: 'v' } } } },
  profile: { profile: true },
  search_pipeline: { search_pipeline: { request_processors: [] } },
  ext: { ext: {} },
  indices_boost: { indices_boost: [{ other: 2 }] },
  runtime_mappings: { runtime_mappings: { x: { type: 'keyword' } } },
  stored_script_field: { script_fields: { x: { script: { id: 'stored' } } } },
  stored_script_agg: { aggs: { s: { sum: { script: { id: 'stored' } } } } },
  stored_script_sort: { sort: { _script: { type: 'number', script: { id: 'stored' } } } },
  unknown_agg: { aggs: { x: { scripted_metric: { map_script: 'x' } } } },
  structured_unknown_option: {
    query: { match: { v: { query: 'x', sneaky: { wrapper: { query: 'e30=' } } } } },
  },
  unknown_rescorer: { rescore: { learning_to_rank: { model: 'm' } } },
  unknown_collapse_key: { collapse: { field: 'u', other: 1 } },
};

describe('search grammar: positions other than queries', () => {
  for (const [construct, body] of Object.entries(SHARED_REFUSED)) {
    it(`refuses ${construct} on a shared index and accepts it on a dedicated one`, () => {
      expect(refusal(body)?.status).toBe(400);
      expect(refusal(body, { shared: false })).toBeUndefined();
    });
  }
  for (const [construct, body] of Object.entries(REFUSED_EVERYWHERE)) {
    it(`refuses ${construct} in every placement`, () => {
      expect(refusal(body)?.status).toBe(400);
      expect(refusal(body, { shared: false })?.status).toBe(400);
    });
  }

  it('accepts an ordinary search body with aggregations, sort, highlight and collapse', () => {
    const body: JsonValue = {
      query: { bool: { must: [{ match: { v: 'x' } }], filter: [{ range: { n: { gte: 1 } } }] } },
      sort: ['_score', { n: 'desc' }, { price: { order: 'asc', nested: { path: 'items' } } }],
      aggs: {
        by: {
          terms: { field: 'v', min_doc_count: 1 },
          aggs: { top: { top_hits: { size: 1, sort: ['n'] } } },
        },
        h: { date_histogram: { field: 'ts', calendar_interval: 'day', min_doc_count: 0 } },
      },
      highlight: { fields: { v: {} } },
      collapse: { field: 'u', inner_hits: [{ name: 'a', size: 2 }] },
      explain: false,
      track_total_hits: true,
      search_after: [123456789, 'x'],
    };
    expect(refusal(body)).toBeUndefined();
  });

  it('takes only a query (and its scalars) in count and delete-by-query bodies', () => {
    expect(refusal({ query: { match_all: {} }, terminate_after: 3 }, { kind: 'count' })).toBeUndefined();
    expect(refusal({ query: { match_all: {} }, aggs: {} }, { kind: 'count' })?.status).toBe(400);
    expect(refusal({ query: { wrapper: { query: 'e30=' } } }, { kind: 'delete_by_query' })?.status).toBe(400);
    expect(refusal({ query: { match_all: {} }, max_docs: 5 }, { kind: 'delete_by_query' })).toBeUndefined();
  });

  it('says why in shape-only words: the rule and a plain construct name, never a value or field', () => {
    expect(refusal({ query: { wrapper: { query: 'c2VjcmV0' } } })).toMatchObject({ construct: 'wrapper' });
    expect(refusal({ query: { terms: { v: { index: 'x', id: '1' } } } })).toMatchObject({
      rule: 'reads_other_documents',
      construct: 'terms_lookup',
    });
    expect(refusal({ sort: ['_id'] })).toMatchObject({ rule: 'foreign_field', construct: 'field' });
    expect(refusal({ 'Weird Key!': 1 })).toMatchObject({ construct: 'unknown' });
  });
});

describe('search grammar: depth', () => {
  const nested = (depth: number): JsonValue => {
    let query: JsonValue = { match_all: {} };
    for (let i = 1; i < depth; i++) query = { bool: { must: [query] } };
    return { query };
  };
  const aggs = (depth: number): JsonValue => {
    let agg: JsonValue = { terms: { field: 'v' } };
    for (let i = 1; i < depth; i++) agg = { terms: { field: 'v' }, aggs: { a: agg } };
    return { aggs: { a: agg } };
  };

  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(refusal(nested(64))).toBeUndefined();
    expect(refusal(nested(65))).toMatchObject({ rule: 'too_deep' });
    expect(refusal(aggs(64))).toBeUndefined();
    expect(refusal(aggs(65))).toMatchObject({ rule: 'too_deep' });
  });

  it('takes its limit from the options', () => {
    expect(refusal(nested(5), { maxDepth: 4 })).toMatchObject({ rule: 'too_deep' });
    expect(refusal(nested(4), { maxDepth: 4 })).toBeUndefined();
  });
});

describe('search grammar: shared-index rewrites', () => {
  it('maps logical ids to physical ones in ids, term and terms queries wherever a query sits', () => {
    for (const place of Object.values(QUERY_POSITIONS)) {
      if (JSON.stringify(place({})).includes('significant_terms')) continue;
      const out = JSON.stringify(screen(place({ ids: { values: ['7'] } })));
      expect(out).toContain('"acme:orders:7"');
    }
    expect(screen({ query: { term: { _id: '7' } } })).toEqual({ query: { term: { _id: 'acme:orders:7' } } });
    expect(screen({ query: { term: { _id: { value: '7', boost: 2 } } } })).toEqual({
      query: { term: { _id: { value: 'acme:orders:7', boost: 2 } } },
    });
    expect(screen({ query: { terms: { _id: ['1', '2'] } } })).toEqual({
      query: { terms: { _id: ['acme:orders:1', 'acme:orders:2'] } },
    });
    expect(screen({ query: { ids: { values: ['7'] } } }, { shared: false })).toEqual({
      query: { ids: { values: ['7'] } },
    });
  });

  it('keeps the tenancy fields in source filters of the body, inner_hits and top_hits', () => {
    const body = {
      _source: ['v'],
      query: { nested: { path: 'items', query: { match_all: {} }, inner_hits: { _source: ['items.sku'] } } },
      collapse: {
        field: 'user',
        inner_hits: [
          { name: 'last', _source: false },
          { name: 'v', _source: 'v' },
        ],
      },
      aggs: { by: { terms: { field: 'x' }, aggs: { top: { top_hits: { _source: { includes: ['v'] } } } } } },
    };
    const kept = ['_tenant', '_index_name'];
    expect(screen(body)).toEqual({
      _source: ['v', ...kept],
      query: {
        nested: { path: 'items', query: { match_all: {} }, inner_hits: { _source: ['items.sku', ...kept] } },
      },
      collapse: {
        field: 'user',
        inner_hits: [
          { name: 'last', _source: false },
          { name: 'v', _source: ['v', ...kept] },
        ],
      },
      aggs: {
        by: { terms: { field: 'x' }, aggs: { top: { top_hits: { _source: { includes: ['v', ...kept] } } } } },
      },
    });
    expect(screen(body, { shared: false })).toEqual(body);
  });
});
