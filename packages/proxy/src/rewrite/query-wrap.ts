// Wraps a search body in the partition filter and refuses the constructs that
// escape a query filter (`suggest`, `global` aggregations, lookups that read
// other documents by index + id).
import { FlussoError, isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';

function unfilterable(construct: string): never {
  throw new FlussoError('malformed_request', 'search construct bypasses the partition filter', {
    context: { construct },
  });
}

function hasGlobalAgg(aggs: JsonValue | undefined): boolean {
  if (!isJsonObject(aggs)) return false;
  return Object.values(aggs).some((agg) => {
    if (!isJsonObject(agg)) return false;
    if ('global' in agg) return true;
    return hasGlobalAgg(agg.aggs) || hasGlobalAgg(agg.aggregations);
  });
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
  if (hasGlobalAgg(source.aggs) || hasGlobalAgg(source.aggregations)) unfilterable('global_aggregation');
  const clientQuery = source.query ?? { match_all: {} };
  screenQuery(clientQuery);
  screenQuery(source.post_filter ?? null);
  screenQuery(source.aggs ?? null);
  screenQuery(source.aggregations ?? null);
  const termFilters = Object.entries(filter.terms).map(([field, value]) => ({ term: { [field]: value } }));
  const wrapped: JsonObject = { ...source };
  if (source.post_filter !== undefined) wrapped.post_filter = mapIds(source.post_filter, filter.mapId);
  wrapped.query = { bool: { must: [mapIds(clientQuery, filter.mapId)], filter: termFilters } };
  return wrapped;
}
