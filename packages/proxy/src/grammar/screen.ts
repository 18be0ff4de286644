// The grammar's entry: a search, `_count` or `_delete_by_query` body checked
// against the tables (and rewritten where a shared index needs it). Top-level
// keys are closed: a key the body kind does not list is refused.
import { mapMembers } from '../json/build.js';
import type { JObject } from '../json/node.js';
import { refuse } from './refuse.js';
import { lookup, type Options } from './rules.js';
import { COUNT_BODY, DELETE_BY_QUERY_BODY, SEARCH_BODY } from './search-table.js';
import { type GrammarOptions, Walker } from './walker.js';

export type BodyKind = 'search' | 'count' | 'delete_by_query';

/** The default cap on nested clauses and aggregation levels. */
export const DEFAULT_MAX_QUERY_DEPTH = 64;

/** Meta fields that name physical things (ids, index, routing) rather than the tenant's data. */
const META_FIELDS: readonly string[] = ['_id', '_index', '_routing', '_uid', '_field_names', '_ignored'];

const BODIES: Readonly<Record<BodyKind, Options>> = {
  search: SEARCH_BODY,
  count: COUNT_BODY,
  delete_by_query: DELETE_BY_QUERY_BODY,
};

/**
 * Grammar options for a placement: `injected` are the fields a shared index adds
 * (none otherwise); `renamed` when the physical index name is not the logical one
 * (then `_index` would hand the tenant a physical name).
 */
export function grammarOptions(options: {
  shared: boolean;
  injected: readonly string[];
  mapId: (id: string) => string;
  maxDepth?: number;
  renamed?: boolean;
}): GrammarOptions {
  const foreign = options.shared
    ? [...META_FIELDS, ...options.injected]
    : options.renamed === true
      ? ['_index']
      : [];
  return {
    shared: options.shared,
    injected: options.injected,
    foreignFields: new Set(foreign),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_QUERY_DEPTH,
    mapId: options.mapId,
  };
}

/** Checks `body` as a `kind` body; returns it with the proxy's rewrites (the same node when none). */
export function screenBody(body: JObject, kind: BodyKind, options: GrammarOptions): JObject {
  const walker = new Walker(options);
  const table = BODIES[kind];
  return mapMembers(body, (m) => {
    const slot = lookup(table, m.key);
    if (slot === undefined) return refuse('unknown_construct', m.key, 'body');
    return walker.slot(slot, m.value, 0, m.key);
  });
}
