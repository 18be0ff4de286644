// Test helpers for the grammar: bodies as plain values in, checked through the
// same lossless path the handlers use, and every query position a body has.
import { isFlussoError, type JsonObject, type JsonValue } from '@flusso/core';
import type { JObject } from '../json/node.js';
import { parseLossless } from '../json/parse.js';
import { toPlain } from '../json/plain.js';
import { type BodyKind, grammarOptions, screenBody } from './screen.js';

export const INJECTED = ['_tenant', '_index_name'];

/** Screen `body` as a shared-index (default) or dedicated body; returns the rewritten body as a plain value. */
export function screen(
  body: JsonValue,
  options: { shared?: boolean; kind?: BodyKind; maxDepth?: number } = {},
): JsonValue {
  const shared = options.shared ?? true;
  const node = parseLossless(JSON.stringify(body)) as JObject;
  const grammar = grammarOptions({
    shared,
    injected: shared ? INJECTED : [],
    mapId: (id) => `acme:orders:${id}`,
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
    if (!isFlussoError(error, 'malformed_request')) throw error;
    return { rule: error.context.rule, construct: error.context.construct, status: error.status };
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
