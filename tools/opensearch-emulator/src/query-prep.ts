// Query rewrites done before evaluation, as OpenSearch's rewrite phase does:
// `wrapper` (base64 JSON) is decoded, and a terms lookup fetches its document
// (from any index the cluster holds) and becomes a plain `terms` query.
import { readDoc } from './documents.js';
import { OsError } from './errors.js';
import { valuesAt } from './query.js';
import type { Store } from './store.js';

type Json = Record<string, unknown>;

function decodeWrapper(spec: unknown): unknown {
  const query = spec && typeof spec === 'object' ? (spec as Json).query : undefined;
  if (typeof query !== 'string')
    throw new OsError(400, 'parsing_exception', '[wrapper] query malformed, must start with [query]');
  try {
    return JSON.parse(Buffer.from(query, 'base64').toString('utf8'));
  } catch {
    throw new OsError(400, 'parsing_exception', 'Failed to derive xcontent');
  }
}

function isLookup(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'id' in v && 'path' in v;
}

function lookup(store: Store, spec: Json): unknown[] {
  if (spec.index === undefined)
    throw new OsError(
      400,
      'parsing_exception',
      '[terms] query lookup element requires specifying the index.',
    );
  const names = store.resolve(String(spec.index));
  const index = store.indexes.get(names[0] ?? '');
  if (!index) return [];
  const doc = readDoc(index, String(spec.id), spec.routing === undefined ? undefined : String(spec.routing));
  return doc ? valuesAt(doc.source, String(spec.path)) : [];
}

/** `query` with every wrapper decoded and every terms lookup performed. */
export function prepareQuery(store: Store, query: unknown, depth = 0): unknown {
  if (depth > 100) throw new OsError(400, 'parsing_exception', 'query is nested too deeply');
  if (Array.isArray(query)) return query.map((q) => prepareQuery(store, q, depth + 1));
  if (!query || typeof query !== 'object') return query;
  const out: Json = {};
  for (const [key, value] of Object.entries(query as Json)) {
    if (key === 'wrapper') return prepareQuery(store, decodeWrapper(value), depth + 1);
    if (key === 'terms' && value && typeof value === 'object' && !Array.isArray(value)) {
      const terms: Json = {};
      for (const [field, v] of Object.entries(value as Json))
        terms[field] = isLookup(v) && field !== 'boost' ? lookup(store, v) : v;
      out[key] = terms;
    } else out[key] = prepareQuery(store, value, depth + 1);
  }
  return out;
}
