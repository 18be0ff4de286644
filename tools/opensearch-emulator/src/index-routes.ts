// Routes under `/{index}`: create/get/delete/exists, settings, mappings, aliases,
// refresh and the per-index document and search APIs.
import { aliasRoutes } from './alias-routes.js';
import { bulkResponse, mget } from './bulk-routes.js';
import { deleteByQuery } from './delete-by-query.js';
import { docRoutes } from './doc-routes.js';
import { indexNotFound, OsError } from './errors.js';
import { mergeSettings, normalizeSettings } from './index-settings.js';
import { indexView, mappingsView, settingsView } from './index-views.js';
import { msearch } from './msearch-api.js';
import { type Json, ok, type Req, type Res } from './req-res.js';
import { count, openPit, search } from './search-api.js';
import type { Store } from './store.js';

/** Refreshes `names`; `_shards` counts every copy, and the primaries (one node) as successful. */
export function refreshShards(store: Store, names: string[]): Json {
  store.refresh(names);
  let total = 0;
  let successful = 0;
  for (const n of names) {
    const index = store.indexes.get(n);
    if (!index) continue;
    total += index.layout.shards * (1 + Number(index.settings.number_of_replicas ?? 1));
    successful += index.layout.shards;
  }
  return { _shards: { total, successful, failed: 0 } };
}

function body(req: Req): Json {
  return req.text.trim() ? req.json() : {};
}

function indexLevel(store: Store, req: Req, name: string): Res {
  const m = req.method;
  if (m === 'HEAD') return ok(null, store.resolve(name, true).length > 0 ? 200 : 404);
  if (m === 'PUT' || m === 'POST') {
    const b = body(req);
    for (const key of Object.keys(b))
      if (!['settings', 'mappings', 'aliases'].includes(key))
        throw new OsError(400, 'parse_exception', `unknown key [${key}] for create index`);
    store.createIndex(name, b);
    return ok({ acknowledged: true, shards_acknowledged: true, index: name });
  }
  if (m === 'DELETE') {
    if (store.aliases.has(name) && !store.indexes.has(name))
      throw new OsError(
        400,
        'illegal_argument_exception',
        `The provided expression [${name}] matches an alias, specify the corresponding concrete indices instead.`,
      );
    const wild = req.query.get('expand_wildcards') ?? '';
    store.deleteIndex(name, wild.includes('hidden') || wild.includes('all'));
    return ok({ acknowledged: true });
  }
  const out: Json = {};
  for (const n of store.resolve(name, req.query.get('ignore_unavailable') === 'true')) {
    const index = store.indexes.get(n);
    if (index) out[n] = indexView(store, index);
  }
  return ok(out);
}

export function settingsRoute(store: Store, req: Req, expr: string): Res {
  const names = store.resolve(expr || '_all');
  if (req.method === 'PUT') {
    const patch = normalizeSettings(req.json());
    for (const n of names) {
      const index = store.indexes.get(n);
      if (!index) continue;
      for (const fixed of ['number_of_shards', 'number_of_routing_shards'])
        if (patch[fixed] !== undefined)
          throw new OsError(
            400,
            'illegal_argument_exception',
            `final ${n} setting [index.${fixed}], not updateable`,
          );
      index.settings = mergeSettings(index.settings, patch);
    }
    return ok({ acknowledged: true });
  }
  return ok(
    Object.fromEntries(names.map((n) => [n, { settings: settingsView(store.indexes.get(n) as never) }])),
  );
}

export function mappingRoute(store: Store, req: Req, expr: string): Res {
  if (req.method === 'PUT' || req.method === 'POST') {
    store.putMapping(expr, req.json());
    return ok({ acknowledged: true });
  }
  const q = req.query;
  const names = store.resolve(expr || '_all', q.get('ignore_unavailable') === 'true');
  if (names.length === 0 && expr !== '' && q.get('allow_no_indices') === 'false') throw indexNotFound(expr);
  return ok(
    Object.fromEntries(names.map((n) => [n, { mappings: mappingsView(store.indexes.get(n) as never) }])),
  );
}

export function searchRoutes(
  store: Store,
  req: Req,
  name: string,
  op: string,
  rest: string | undefined,
): Res | null {
  const q = req.query;
  switch (op) {
    case '_search':
      if (rest === 'point_in_time') return ok(openPit(store, name, q));
      return ok(search(store, name, body(req), q));
    case '_count':
      return ok(count(store, name, body(req), q));
    case '_msearch':
      return ok(msearch(store, name, req.text, q));
    case '_mget':
      return mget(store, req, name);
    case '_bulk':
      return bulkResponse(store, req, name || null);
    case '_delete_by_query': {
      const out = deleteByQuery(store, name, body(req), q);
      return ok(out.body, out.status);
    }
    default:
      return null;
  }
}

export function indexRoutes(store: Store, req: Req): Res {
  const [name = '', op, id, ...more] = req.parts;
  if (op === undefined) return indexLevel(store, req, name);
  if (more.length > 0) throw unsupported(req);
  const doc = docRoutes(store, req, name, op, id);
  if (doc) return doc;
  const searched = searchRoutes(store, req, name, op, id);
  if (searched) return searched;
  switch (op) {
    case '_settings':
      return settingsRoute(store, req, name);
    case '_mapping':
      return mappingRoute(store, req, name);
    case '_alias':
    case '_aliases':
      return aliasRoutes(store, req, name, id);
    case '_refresh':
    case '_flush':
    case '_forcemerge':
      return ok(refreshShards(store, store.resolve(name, q(req) || name.includes('*'))));
    case '_close':
    case '_open':
      for (const n of store.resolve(name)) {
        const index = store.indexes.get(n);
        if (index) index.closed = op === '_close';
      }
      return ok({ acknowledged: true, shards_acknowledged: true });
    case '_stats':
      return ok({
        _shards: { total: 1, successful: 1, failed: 0 },
        _all: {},
        indices: Object.fromEntries(
          store.resolve(name).map((n) => [n, { uuid: store.indexes.get(n)?.uuid }]),
        ),
      });
    default:
      throw unsupported(req);
  }
}

function q(req: Req): boolean {
  return req.query.get('ignore_unavailable') === 'true';
}

export function unsupported(req: Req): OsError {
  return new OsError(
    400,
    'illegal_argument_exception',
    `unsupported operation [${req.method} /${req.parts.join('/')}]`,
  );
}
