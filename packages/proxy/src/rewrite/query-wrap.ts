// Wraps a search body in the partition filter and refuses the constructs that
// escape a query filter: `suggest`, `global` and background-statistics
// aggregations, lookups that read other documents by index + id, and any
// top-level key not known to stay inside the filter (an inline `search_pipeline`
// can rewrite the query after the proxy wrapped it; `derived`/`runtime_mappings`
// can redefine fields). Keys are allowed by name, so a new OpenSearch feature is
// refused until someone has checked it.
import { FlussoError, isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';
import { keepInNestedSources, keepInSource } from './source-filter.js';

function unfilterable(construct: string): never {
  throw new FlussoError('malformed_request', 'search construct bypasses the partition filter', {
    context: { construct },
  });
}

// Top-level search keys that act only on the documents the filtered query matches.
const SEARCH_KEYS = new Set([
  'query',
  'from',
  'size',
  'sort',
  '_source',
  'fields',
  'stored_fields',
  'docvalue_fields',
  'script_fields',
  'aggs',
  'aggregations',
  'post_filter',
  'highlight',
  'track_total_hits',
  'track_scores',
  'timeout',
  'terminate_after',
  'min_score',
  'search_after',
  'collapse',
  'rescore',
  'explain',
  'version',
  'seq_no_primary_term',
  'pit',
  'slice',
  'suggest', // refused below with its own reason
]);

// `global` ignores the query; significant_* compare against the whole index.
const UNFILTERED_AGGS = ['global', 'significant_terms', 'significant_text'];

function unfilteredAgg(aggs: JsonValue | undefined): string | undefined {
  if (!isJsonObject(aggs)) return undefined;
  for (const agg of Object.values(aggs)) {
    if (!isJsonObject(agg)) continue;
    const kind = UNFILTERED_AGGS.find((k) => k in agg);
    if (kind !== undefined) return kind;
    const nested = unfilteredAgg(agg.aggs) ?? unfilteredAgg(agg.aggregations);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function screenKeys(body: JsonObject): void {
  for (const key of Object.keys(body)) {
    if (SEARCH_KEYS.has(key)) continue;
    // The name is the client's own input; only a plain one is echoed back.
    const construct = /^[a-z_]{1,40}$/.test(key) ? key : 'unknown_key';
    throw new FlussoError('malformed_request', 'search body key is not allowed behind the proxy', {
      context: { construct },
    });
  }
}

const LOOKUP_QUERIES = new Set(['more_like_this', 'percolate', 'indexed_shape']);

/** Throws when a query tree reads other documents (terms lookup, mlt, percolate, indexed shapes). */
function screenQuery(node: JsonValue): void {
  if (Array.isArray(node)) {
    for (const item of node) screenQuery(item);
    return;
  }
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (LOOKUP_QUERIES.has(key)) unfilterable(key);
    if (key === 'terms' && isJsonObject(value)) {
      for (const v of Object.values(value))
        if (isJsonObject(v) && ('index' in v || 'id' in v)) unfilterable('terms_lookup');
    }
    screenQuery(value);
  }
}

/** Rewrite `ids` query values with `mapId` (logical → physical), leaving the rest intact. */
function mapIds(node: JsonValue, mapId: (id: string) => string): JsonValue {
  if (Array.isArray(node)) return node.map((item) => mapIds(item, mapId));
  if (!isJsonObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'ids' && isJsonObject(value) && Array.isArray(value.values)) {
      out[key] = {
        ...value,
        values: value.values.map((v) =>
          typeof v === 'string' || typeof v === 'number' ? mapId(String(v)) : v,
        ),
      };
    } else {
      out[key] = mapIds(value, mapId);
    }
  }
  return out;
}

export interface FilterSpec {
  /** Injected fields and the values this partition owns, e.g. `{_tenant: 'acme'}`. */
  readonly terms: Readonly<Record<string, string>>;
  readonly mapId: (id: string) => string;
}

/**
 * `{"query":{"bool":{"must":[<client query or match_all>],"filter":[{"term":{...}}]}}}`
 * with the other top-level keys kept. `allowAggs` is false for `_count` and
 * `_delete_by_query` bodies, which take a query only.
 */
export function wrapQuery(body: JsonObject | null, filter: FilterSpec): JsonObject {
  const source = body ?? {};
  if ('suggest' in source) unfilterable('suggest');
  screenKeys(source);
  const agg = unfilteredAgg(source.aggs) ?? unfilteredAgg(source.aggregations);
  if (agg !== undefined) unfilterable(agg === 'global' ? 'global_aggregation' : agg);
  screenQuery(source.query ?? null);
  screenQuery(source.post_filter ?? null);
  screenQuery(source.aggs ?? null);
  screenQuery(source.aggregations ?? null);
  const termFilters = Object.entries(filter.terms).map(([field, value]) => ({ term: { [field]: value } }));
  const fields = Object.keys(filter.terms);
  // A copy: the client body itself is never modified.
  const wrapped: JsonObject = { ...(keepInNestedSources(source, fields) as JsonObject) };
  if (source._source !== undefined) wrapped._source = keepInSource(source._source, fields) ?? null;
  if (wrapped.post_filter !== undefined) wrapped.post_filter = mapIds(wrapped.post_filter, filter.mapId);
  const query = wrapped.query ?? { match_all: {} };
  wrapped.query = { bool: { must: [mapIds(query, filter.mapId)], filter: termFilters } };
  return wrapped;
}
