// Test helpers for the grammar: bodies as plain values in, checked through the
// same lossless path the handlers use, and every query position a body has.
import type { JsonObject, JsonValue } from '@flusso/core';
import type { JObject } from '../json/node.js';
import { parseLossless } from '../json/parse.js';
import { toPlain } from '../json/plain.js';
import { isProxyError } from '../request/proxy-error.js';
import { requestStatus } from '../request/request-status.js';
import { type BodyKind, grammarOptions, screenBody } from './screen.js';

const INJECTED = ['_tenant', '_index_name'];

/** Screen `body` as a shared-index (default) or dedicated body; returns the rewritten body as a plain value. */
export function screen(
  body: JsonValue,
  options: { shared?: boolean; kind?: BodyKind; maxDepth?: number; renamed?: boolean } = {},
): JsonValue {
  const shared = options.shared ?? true;
  const node = parseLossless(JSON.stringify(body)) as JObject;
  const grammar = grammarOptions({
    shared,
    injected: shared ? INJECTED : [],
    mapId: (id) => `acme:orders:${id}`,
    renamed: options.renamed ?? false,
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
  });
  return toPlain(screenBody(node, options.kind ?? 'search', grammar));
}

/** The refusal `screen` throws (its rule and construct), or undefined when the body passes. */
export function refusal(
  body: JsonValue,
  options: Parameters<typeof screen>[1] = {},
): { rule: unknown; construct: unknown; status: number } | undefined {
  try {
    screen(body, options);
    return undefined;
  } catch (error) {
    if (!isProxyError(error, 'malformed_request')) throw error;
    return {
      rule: error.context.rule,
      construct: error.context.construct,
      status: requestStatus(error.code),
    };
  }
}

/** Every position of a search body that holds a query clause, as a function placing `q` there. */
export const QUERY_POSITIONS: Readonly<Record<string, (q: JsonValue) => JsonObject>> = {
  query: (q) => ({ query: q }),
  post_filter: (q) => ({ post_filter: q }),
  bool_must: (q) => ({ query: { bool: { must: [q] } } }),
  bool_should: (q) => ({ query: { bool: { should: q } } }),
  constant_score: (q) => ({ query: { constant_score: { filter: q } } }),
  dis_max: (q) => ({ query: { dis_max: { queries: [q] } } }),
  boosting: (q) => ({
    query: { boosting: { positive: { match_all: {} }, negative: q, negative_boost: 0.5 } },
  }),
  function_score_query: (q) => ({ query: { function_score: { query: q } } }),
  function_score_filter: (q) => ({ query: { function_score: { functions: [{ filter: q, weight: 2 }] } } }),
  script_score: (q) => ({ query: { script_score: { query: q, script: { source: '1' } } } }),
  nested: (q) => ({ query: { nested: { path: 'items', query: q } } }),
  has_child: (q) => ({ query: { has_child: { type: 'c', query: q } } }),
  has_parent: (q) => ({ query: { has_parent: { parent_type: 'p', query: q } } }),
  knn_filter: (q) => ({ query: { knn: { vec: { vector: [1, 2], k: 3, filter: q } } } }),
  agg_filter: (q) => ({ aggs: { f: { filter: q } } }),
  agg_filters: (q) => ({ aggs: { f: { filters: { filters: { a: q } } } } }),
  sub_agg_filter: (q) => ({ aggs: { t: { terms: { field: 'x' }, aggs: { f: { filter: q } } } } }),
  rescore: (q) => ({ rescore: { window_size: 10, query: { rescore_query: q } } }),
  rescore_list: (q) => ({ rescore: [{ query: { rescore_query: q } }] }),
  highlight_query: (q) => ({ highlight: { highlight_query: q, fields: { v: {} } } }),
  highlight_field_query: (q) => ({ highlight: { fields: { v: { highlight_query: q } } } }),
  sort_nested_filter: (q) => ({ sort: [{ price: { order: 'asc', nested: { path: 'items', filter: q } } }] }),
  sort_nested_nested: (q) => ({
    sort: [{ price: { nested: { path: 'items', nested: { path: 'items.parts', filter: q } } } }],
  }),
  inner_hits_highlight: (q) => ({
    query: {
      nested: { path: 'items', query: { match_all: {} }, inner_hits: { highlight: { highlight_query: q } } },
    },
  }),
  collapse_inner_hits: (q) => ({
    collapse: { field: 'u', inner_hits: { highlight: { highlight_query: q } } },
  }),
  top_hits_highlight: (q) => ({ aggs: { t: { top_hits: { highlight: { highlight_query: q } } } } }),
  significant_background: (q) => ({
    aggs: { s: { significant_terms: { field: 'x', background_filter: q } } },
  }),
};

// Constructs that read other documents: refused in every placement and every position.
export const READS_OTHERS: Readonly<Record<string, JsonValue>> = {
  wrapper: { wrapper: { query: 'eyJ0ZXJtIjp7Il90ZW5hbnQiOiJnbG9iZXgifX0=' } },
  terms_lookup: { terms: { user: { index: 'users', id: '2', path: 'followers' } } },
  mlt_like_doc: { more_like_this: { fields: ['v'], like: [{ _index: 'orders', _id: 'globex:orders:1' }] } },
  mlt_like_doc_alone: { more_like_this: { like: { _id: '1' } } },
  mlt_unlike_doc: { more_like_this: { like: 'text', unlike: [{ _index: 'orders', _id: '1' }] } },
  percolate_by_id: { percolate: { field: 'q', index: 'orders', id: '1' } },
  geo_indexed_shape: { geo_shape: { loc: { indexed_shape: { index: 'shapes', id: 'x', path: 'shape' } } } },
  stored_script: { script: { script: { id: 'my-stored' } } },
  script_score_stored: { script_score: { query: { match_all: {} }, script: { id: 'stored' } } },
  function_score_stored: { function_score: { functions: [{ script_score: { script: { id: 'stored' } } }] } },
  template: { template: { source: '{}' } },
  mlt_ids: { more_like_this: { fields: ['v'], like: 'x', ids: ['globex:orders:3'] } },
  mlt_docs: { more_like_this: { fields: ['v'], docs: [{ _id: 'globex:orders:3' }] } },
  unknown_clause: { span_term: { v: 'x' } },
  two_clauses: { term: { v: 'a' }, match: { v: 'b' } },
};

// Fine for a tenant in any position.
export const ALLOWED: Readonly<Record<string, JsonValue>> = {
  term: { term: { v: 'a' } },
  terms_values: { terms: { v: ['a', 'b'] } },
  mlt_text: { more_like_this: { fields: ['v'], like: ['some text', { doc: { v: 'x' } }], min_term_freq: 1 } },
  percolate_document: { percolate: { field: 'q', document: { v: 'x' } } },
  geo_inline_shape: { geo_shape: { loc: { shape: { type: 'point', coordinates: [1, 2] } } } },
  inline_script: { script: { script: { source: "doc['n'].value > 1" } } },
  range: { range: { n: { gte: 1, lte: 123456789, format: 'x', relation: 'within' } } },
  function_score_script: {
    function_score: {
      query: { match_all: {} },
      functions: [{ script_score: { script: { source: '1' } } }, { field_value_factor: { field: 'n' } }],
    },
  },
  combined_fields: { combined_fields: { query: 'x', fields: ['a', 'b^2'] } },
};

// Non-query positions: fields, statistics, scripts, top-level keys.
export const SHARED_REFUSED: Readonly<Record<string, JsonValue>> = {
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
  terms_min_doc_count_fraction: { aggs: { t: { terms: { field: 'v', min_doc_count: 0.5 } } } },
  terms_min_doc_count_string: { aggs: { t: { terms: { field: 'v', min_doc_count: '0' } } } },
  explain: { explain: true },
  explain_string: { explain: 'true' },
  inner_hits_explain_string: {
    query: { nested: { path: 'i', query: { match_all: {} }, inner_hits: { explain: 'true' } } },
  },
  has_child: { query: { has_child: { type: 'c', query: { match_all: {} } } } },
  has_parent: { query: { has_parent: { parent_type: 'p', query: { match: { secret: 'x' } } } } },
  query_string_index: { query: { query_string: { query: '_index:osproxy-shared' } } },
  query_string_exists_injected: { query: { query_string: { query: 'x AND _exists_:_tenant' } } },
  fields_pattern_meta: { fields: ['_i*'] },
  docvalue_pattern_meta: { docvalue_fields: ['*id'] },
  multi_match_pattern_meta: { query: { multi_match: { query: 'x', fields: ['_*'] } } },
  highlight_pattern_injected: { highlight: { fields: { '_ten*': {} } } },
  script_computed_field: {
    script_fields: { x: { script: { source: 'doc[params.f].value', params: { f: '_id' } } } },
  },
  // OpenSearch serves `params._doc` (and `params.doc`) as `doc`: a computed name through it.
  script_params_doc: {
    script_fields: { x: { script: { source: 'params._doc[params.f].value', params: { f: '_id' } } } },
  },
  sort_script_params_doc: {
    sort: {
      _script: { type: 'string', script: { source: 'params.doc[params.f].value', params: { f: '_index' } } },
    },
  },
  decay_injected: { query: { function_score: { gauss: { _tenant: { origin: 'a', scale: 'b' } } } } },
  weighted_avg_injected: {
    aggs: { w: { weighted_avg: { value: { field: '_tenant' }, weight: { field: 'n' } } } },
  },
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

export const REFUSED_EVERYWHERE: Readonly<Record<string, JsonValue>> = {
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

/** Query clauses on fields a shared-index tenant does not own. */
export const FOREIGN_QUERIES: Readonly<Record<string, JsonValue>> = {
  term_index: { term: { _index: 'osproxy-shared' } },
  prefix_id: { prefix: { _id: 'globex:' } },
  exists_injected: { exists: { field: '_tenant' } },
  match_injected: { match: { _index_name: 'orders' } },
  routing: { term: { _routing: 'globex' } },
  script_reads_id: { script: { script: { source: "doc['_id'].value.startsWith('g')" } } },
  script_params_doc: {
    script: { script: { source: "params._doc[params.f].value.startsWith('g')", params: { f: '_id' } } },
  },
};
