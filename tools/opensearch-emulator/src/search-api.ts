// Search APIs over the refreshed view: _search (from/size, sort, _source), _count,
// scroll, point-in-time, _msearch and _delete_by_query.
import { randomUUID } from 'node:crypto';
import { aggregate, requestedAggs, validateAggs } from './aggregations.js';
import type { Json } from './docs-api.js';
import { OsError } from './errors.js';
import { type Hit, matches, sortHits, sortValues } from './query.js';
import { renderHit } from './render-hit.js';
import type { Store, StoredDoc } from './store.js';

type FullHit = Hit & { index: string; doc: StoredDoc };

function page(all: FullHit[], from: number, size: number, body: Json, took = 1): Json {
  const hits = all.slice(from, from + size).map((h) => renderHit(h, body) as Json);
  return {
    took,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: all.length, relation: 'eq' },
      max_score: hits.length && !body.sort ? 1 : null,
      hits,
    },
  };
}

/**
 * The response's `aggregations`, over every matched doc (before from/size
 * paging, so `size: 0` still aggregates); `scope` is what `global` sees.
 */
function withAggs(result: Json, body: Json, matched: FullHit[], scope: FullHit[]): Json {
  const aggs = requestedAggs(body);
  return aggs ? { ...result, aggregations: aggregate(aggs, { matched, all: scope }) } : result;
}

function matching(store: Store, names: string[], body: Json): FullHit[] {
  return sortHits(
    store.hits(names).filter((h) => matches(body.query, h)),
    body.sort,
  ) as FullHit[];
}

export function search(store: Store, expression: string, body: Json, q: URLSearchParams): Json {
  const size = Number(q.get('size') ?? body.size ?? 10);
  const from = Number(q.get('from') ?? body.from ?? 0);
  const pit = body.pit as Json | undefined;
  const aggs = requestedAggs(body);
  if (aggs) validateAggs(aggs);
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
    ) as FullHit[];
    const after = body.search_after as unknown[] | undefined;
    const start = after
      ? all.findIndex((h) => JSON.stringify(sortValues(h, body.sort)) === JSON.stringify(after)) + 1
      : from;
    return { ...withAggs(page(all, start, size, body), body, all, cursor.hits as FullHit[]), pit_id: pit.id };
  }
  const names = store.resolve(expression || '_all', expression === '');
  const all = matching(store, names, body);
  // Scroll pages after the first carry no aggregations, as in OpenSearch.
  const result = withAggs(page(all, from, size, body), body, all, store.hits(names));
  if (q.has('scroll')) {
    const id = Buffer.from(randomUUID()).toString('base64url');
    store.cursors.set(id, { hits: all, index: [], offset: from + size, size, source: body._source });
    return { _scroll_id: id, ...result };
  }
  return result;
}

export function scroll(store: Store, body: Json, q: URLSearchParams): Json {
  const id = String(body.scroll_id ?? q.get('scroll_id') ?? '');
  const cursor = store.cursors.get(id);
  if (!cursor)
    throw new OsError(404, 'search_context_missing_exception', `No search context found for id [${id}]`);
  const pageSize = cursor.size ?? 10;
  const result = page(cursor.hits as FullHit[], cursor.offset, pageSize, { _source: cursor.source });
  cursor.offset += pageSize;
  return { _scroll_id: id, ...result };
}

export function clearCursor(store: Store, ids: unknown): Json {
  const list = (Array.isArray(ids) ? ids : [ids]).map(String);
  const freed = list.map((id) => store.cursors.delete(id));
  return {
    succeeded: true,
    num_freed: freed.filter(Boolean).length,
    pits: list.map((pit_id, i) => ({ pit_id, successful: freed[i] === true })),
  };
}

export function openPit(store: Store, expression: string): Json {
  const names = store.resolve(expression);
  const id = Buffer.from(`pit:${randomUUID()}`).toString('base64url');
  store.cursors.set(id, { hits: store.hits(names), index: names, offset: 0 });
  return {
    pit_id: id,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    creation_time: Date.now(),
  };
}

export function count(store: Store, expression: string, body: Json): Json {
  const n = store
    .hits(store.resolve(expression || '_all', expression === ''))
    .filter((h) => matches(body.query, h)).length;
  return { count: n, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } };
}

export function msearch(store: Store, defaultIndex: string, text: string): Json {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const responses: Json[] = [];
  for (let i = 0; i + 1 < lines.length + 1 && i < lines.length; i += 2) {
    try {
      const header = JSON.parse(lines[i] as string) as Json;
      const body = JSON.parse(lines[i + 1] ?? '{}') as Json;
      const index =
        header.index === undefined
          ? defaultIndex
          : Array.isArray(header.index)
            ? header.index.join(',')
            : String(header.index);
      responses.push({ ...search(store, index, body, new URLSearchParams()), status: 200 });
    } catch (error) {
      if (!(error instanceof OsError)) throw new OsError(400, 'parse_exception', 'malformed msearch line');
      responses.push({ ...error.body(), status: error.status });
    }
  }
  return { took: 1, responses };
}

export function deleteByQuery(store: Store, expression: string, body: Json): Json {
  const names = store.resolve(expression);
  const victims = store.hits(names).filter((h) => matches(body.query, h));
  for (const v of victims) {
    const index = store.indexes.get(v.index);
    if (index) {
      store.remove(index, v.id);
      index.searchable.delete(v.id);
    }
  }
  return {
    took: 1,
    timed_out: false,
    total: victims.length,
    deleted: victims.length,
    batches: 1,
    version_conflicts: 0,
    noops: 0,
    failures: [],
  };
}
