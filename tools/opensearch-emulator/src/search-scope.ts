// What a search over an index expression sees: each index's refreshed docs,
// narrowed by alias filters, alias search routing and the `routing` parameter.
import { OsError } from './errors.js';
import { matches } from './query.js';
import { shardFor } from './routing.js';
import type { FullHit, Store } from './store.js';
import { wildcardRegExp } from './wildcard.js';

type Json = Record<string, unknown>;

interface Target {
  filters: Json[] | null;
  routing: string[] | null;
}

function merge(
  into: Map<string, Target>,
  index: string,
  filter: Json | undefined,
  routing: string | undefined,
): void {
  const prev = into.get(index);
  const filters = filter === undefined ? null : [filter];
  const routes = routing === undefined ? null : routing.split(',');
  if (!prev) into.set(index, { filters, routing: routes });
  else {
    prev.filters = prev.filters === null || filters === null ? null : [...prev.filters, ...filters];
    prev.routing = prev.routing === null || routes === null ? null : [...prev.routing, ...routes];
  }
}

function targets(store: Store, expression: string, lenient: boolean): Map<string, Target> {
  const out = new Map<string, Target>();
  for (const raw of (expression || '_all').split(',')) {
    const part = raw.trim();
    const aliasNames = part.includes('*')
      ? [...store.aliases.byAlias.keys()].filter((a) => wildcardRegExp(part).test(a))
      : [part];
    let aliased = false;
    for (const alias of aliasNames) {
      if (!store.aliases.has(alias) || store.indexes.has(alias)) continue;
      aliased = true;
      for (const [index, p] of store.aliases.byAlias.get(alias) ?? [])
        merge(out, index, p.filter, p.searchRouting);
    }
    if (aliased && !part.includes('*')) continue;
    for (const index of store.resolve(part, lenient || part.includes('*')))
      if (!out.has(index) || !aliased) merge(out, index, undefined, undefined);
  }
  return out;
}

/** The refreshed docs a search over `expression` may match. */
export function searchScope(
  store: Store,
  expression: string,
  q: URLSearchParams | undefined,
  lenient = false,
): FullHit[] {
  const ignoreUnavailable = q?.get('ignore_unavailable') === 'true';
  const found = targets(store, expression, lenient || ignoreUnavailable);
  if (found.size === 0 && q?.get('allow_no_indices') === 'false')
    throw new OsError(404, 'index_not_found_exception', `no such index [${expression}]`, {
      index: expression,
    });
  const routingParam = q?.get('routing')?.split(',') ?? null;
  return [...found].flatMap(([name, t]) => {
    const index = store.indexes.get(name);
    if (!index) return [];
    const routes = routingParam ?? t.routing;
    const shards = routes === null ? null : new Set(routes.map((r) => shardFor(index.layout, r)));
    return store
      .hits([name])
      .filter(
        (h) =>
          (shards === null || shards.has(h.doc.shard)) &&
          (t.filters === null || t.filters.some((f) => matches(f, h))),
      );
  });
}
