// Search APIs over the refreshed view: _search (from/size, sort, search_after,
// _source, fields), _count, scroll and point-in-time.
import { randomUUID } from 'node:crypto';
import { aggregate, requestedAggs, validateAggs } from './aggregations.js';
import { checkKeepAlive } from './cluster-settings.js';
import { OsError } from './errors.js';
import { fieldFormat, fieldType as fieldTypeOf, sortValueOf } from './field-types.js';
import { matches, type SortTypeOf, sortFields, sortHits, sortsAfter } from './query.js';
import { prepareQuery } from './query-prep.js';
import { renderHit } from './render-hit.js';
import { type SearchRequest, searchRequest, totalHits } from './search-request.js';
import { searchScope } from './search-scope.js';
import { sliceHits } from './sliced-scroll.js';
import type { FullHit, Store } from './store.js';

type Json = Record<string, unknown>;

const SHARDS = { total: 1, successful: 1, skipped: 0, failed: 0 };

function page(store: Store, all: FullHit[], start: number, r: SearchRequest, q?: URLSearchParams): Json {
  const hits = all
    .slice(start, start + r.size)
    .map((h) => renderHit(h, r.body, { q, indexOf: (n) => store.indexes.get(n) }));
  return {
    took: 1,
    timed_out: false,
    _shards: SHARDS,
    hits: { ...totalHits(all.length, r), max_score: hits.length && !r.body.sort ? 1 : null, hits },
  };
}

function countBuckets(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countBuckets(x), 0);
  if (!v || typeof v !== 'object') return 0;
  return Object.entries(v).reduce((n, [k, x]) => {
    if (k !== 'buckets') return n + countBuckets(x);
    const list = Array.isArray(x) ? x : Object.values(x as Json);
    return n + list.length + countBuckets(list);
  }, 0);
}

/** `search.max_buckets` (65535 unless set) bounds the buckets one search creates. */
function checkBuckets(store: Store, aggregations: Json): void {
  const s = store.clusterSettings;
  const max = Number(s.transient['search.max_buckets'] ?? s.persistent['search.max_buckets'] ?? 65535);
  const n = countBuckets(aggregations);
  if (n > max)
    throw new OsError(
      503,
      'too_many_buckets_exception',
      `Trying to create too many buckets. Must be less than or equal to: [${max}] but was [${n}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
      { max_buckets: max },
    );
}

function withAggs(store: Store, result: Json, body: Json, matched: FullHit[], scope: FullHit[]): Json {
  const aggs = requestedAggs(body);
  const fieldType = (index: string, field: string) => fieldTypeOf(store.indexes.get(index), field);
  if (!aggs) return result;
  const aggregations = aggregate(aggs, {
    matched,
    all: scope,
    fieldType,
    indexOf: (n) => store.indexes.get(n),
  });
  checkBuckets(store, aggregations);
  return { ...result, aggregations };
}

/** The mapped type of a sort field in the index a hit comes from. */
function sortTypes(store: Store): SortTypeOf {
  return (h, field) => fieldTypeOf(store.indexes.get((h as FullHit).index), field);
}

/**
 * OpenSearch cannot merge shard results sorted on a field that is `unsigned_long` in one
 * index and another type in another: the reduce fails the whole search.
 */
function checkSortTypes(store: Store, hits: readonly FullHit[], sort: unknown): void {
  if (sort === undefined) return;
  const indices = new Set(hits.map((h) => h.index));
  for (const field of sortFields(sort)) {
    const types = new Set<string>();
    for (const name of indices) {
      const type = fieldTypeOf(store.indexes.get(name), field);
      if (type !== undefined) types.add(type);
    }
    if (types.has('unsigned_long') && types.size > 1)
      throw new OsError(400, 'search_phase_execution_exception', '', {
        phase: 'query',
        grouped: true,
        failed_shards: [],
        caused_by: {
          type: 'illegal_argument_exception',
          reason:
            "Can't do sort across indices, as a field has [unsigned_long] type in one index, and different type in another index!",
        },
      });
  }
}

/** Where a `search_after` page starts: the first hit sorting strictly after the given values. */
function afterIndex(store: Store, all: FullHit[], body: Json): number | undefined {
  const after = body.search_after;
  if (after === undefined) return undefined;
  if (!Array.isArray(after) || body.sort === undefined)
    throw new OsError(400, 'illegal_argument_exception', 'Sort must contain at least one field.');
  const i = all.findIndex((h) =>
    sortsAfter(
      h,
      body.sort,
      after,
      (field, v) => {
        const index = store.indexes.get(h.index);
        return sortValueOf(v, fieldTypeOf(index, field), fieldFormat(index, field));
      },
      sortTypes(store),
    ),
  );
  return i < 0 ? all.length : i;
}

export function search(store: Store, expression: string, rawBody: Json, q: URLSearchParams): Json {
  const r0 = searchRequest(rawBody, q);
  // Terms lookups and wrappers are rewritten wherever a query may sit: query, aggregations, post_filter.
  const body: Json = { ...r0.body };
  for (const key of ['query', 'aggs', 'aggregations', 'post_filter'])
    if (body[key] !== undefined) body[key] = prepareQuery(store, body[key]);
  const r = { ...r0, body };
  const aggs = requestedAggs(body);
  if (aggs) validateAggs(aggs);
  const pit = body.pit as Json | undefined;
  if (pit) {
    const cursor = store.cursors.get(String(pit.id));
    if (!cursor)
      throw new OsError(
        404,
        'search_context_missing_exception',
        `No search context found for id [${String(pit.id)}]`,
      );
    const all = sortHits(
      cursor.hits.filter((h) => matches(body.query, h)),
      body.sort,
      sortTypes(store),
    ) as FullHit[];
    const start = afterIndex(store, all, body) ?? r.from;
    return {
      ...withAggs(store, page(store, all, start, r, q), body, all, cursor.hits as FullHit[]),
      pit_id: pit.id,
    };
  }
  const scope = searchScope(store, expression, q, expression === '');
  const sliced = sliceHits(scope, body.slice, q.has('scroll'), (n) => store.indexes.get(n));
  checkSortTypes(store, sliced, body.sort);
  const all = sortHits(
    sliced.filter((h) => matches(body.query, h)),
    body.sort,
    sortTypes(store),
  ) as FullHit[];
  const start = afterIndex(store, all, body) ?? r.from;
  const result = withAggs(store, page(store, all, start, r, q), body, all, scope);
  if (q.has('scroll')) {
    checkKeepAlive(store, q.get('scroll'));
    const id = Buffer.from(`scroll:${randomUUID()}`).toString('base64url');
    store.cursors.set(id, {
      hits: all,
      index: [],
      offset: start + r.size,
      size: r.size,
      source: body._source,
      body,
    });
    return { _scroll_id: id, ...result };
  }
  return result;
}

export function scroll(store: Store, id: string, q: URLSearchParams, keepAlive?: string): Json {
  checkKeepAlive(store, keepAlive ?? q.get('scroll'));
  const cursor = store.cursors.get(id);
  if (!cursor)
    throw new OsError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
  const size = cursor.size ?? 10;
  const r: SearchRequest = {
    body: cursor.body ?? { _source: cursor.source },
    from: 0,
    size,
    trackTotalHits: true,
    totalAsInt: q.get('rest_total_hits_as_int') === 'true',
  };
  const result = page(store, cursor.hits as FullHit[], cursor.offset, r, q);
  cursor.offset += size;
  return { _scroll_id: id, ...result };
}

export function clearCursor(
  store: Store,
  ids: unknown,
  kind: 'scroll' | 'pit',
): { status: number; body: Json } {
  const list = (Array.isArray(ids) ? ids : ids === undefined ? [] : String(ids).split(',')).map(String);
  if (list.includes('_all')) {
    const n = store.cursors.size;
    store.cursors.clear();
    return { status: 200, body: { succeeded: true, num_freed: n } };
  }
  const freed = list.map((id) => store.cursors.delete(id));
  const n = freed.filter(Boolean).length;
  return {
    status: kind === 'scroll' && n === 0 && list.length > 0 ? 404 : 200,
    body: {
      succeeded: true,
      num_freed: n,
      ...(kind === 'scroll'
        ? {}
        : { pits: list.map((pit_id, i) => ({ pit_id, successful: freed[i] === true })) }),
    },
  };
}

export function openPit(store: Store, expression: string, q: URLSearchParams): Json {
  if (!q.has('keep_alive'))
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: keep alive not specified;',
    );
  const names = store.resolve(expression);
  const id = Buffer.from(`pit:${randomUUID()}`).toString('base64url');
  store.cursors.set(id, { hits: store.hits(names), index: names, offset: 0 });
  return { pit_id: id, _shards: SHARDS, creation_time: Date.now() };
}

export function count(store: Store, expression: string, body: Json, q: URLSearchParams): Json {
  for (const key of Object.keys(body))
    if (key !== 'query') throw new OsError(400, 'parsing_exception', `request does not support [${key}]`);
  const query = prepareQuery(store, body.query);
  const n = searchScope(store, expression, q, expression === '').filter((h) => matches(query, h)).length;
  return { count: n, _shards: SHARDS };
}
