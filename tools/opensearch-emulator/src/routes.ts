// Maps a request (method + path) to the emulated OpenSearch API: cluster-level
// routes here, everything under `/{index}` in index-routes.
import { aliasRoutes, updateAliases } from './alias-routes.js';
import { bulkResponse, mget } from './bulk-routes.js';
import { catIndices } from './cat-indices.js';
import { clusterHealth, info } from './cluster-info.js';
import { clusterSettingsRoute, pipelineRoute } from './cluster-settings.js';
import { OsError } from './errors.js';
import { indexRoutes, mappingRoute, refreshShards, searchRoutes, settingsRoute } from './index-routes.js';
import { ok, type Req, type Res } from './req-res.js';
import { clearCursor, scroll } from './search-api.js';
import type { Store } from './store.js';
import { componentTemplates, indexTemplates } from './template-routes.js';

export type { Req, Res } from './req-res.js';

function scrollRoute(store: Store, req: Req, pathId: string | undefined): Res {
  const body = req.text.trim() ? req.json() : {};
  if (req.method === 'DELETE') {
    const out = clearCursor(store, pathId ?? body.scroll_id, 'scroll');
    return ok(out.body, out.status);
  }
  const id = body.scroll_id ?? pathId ?? req.query.get('scroll_id');
  if (id === undefined || id === null)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: scrollId is missing;',
    );
  const keepAlive = body.scroll === undefined ? undefined : String(body.scroll);
  return ok(scroll(store, String(id), req.query, keepAlive));
}

function underscoreRoutes(store: Store, req: Req): Res | null {
  const [first, second, third] = req.parts;
  const m = req.method;
  switch (first) {
    case '_cluster':
      if (second === 'health') return clusterHealth(store, req, third);
      if (second === 'settings') return clusterSettingsRoute(store, req);
      return null;
    case '_cat':
      return second === 'indices' ? catIndices(store, req, third) : null;
    case '_nodes':
      return ok({
        _nodes: { total: 1, successful: 1, failed: 0 },
        cluster_name: 'flusso-emulator',
        nodes: {
          emulator: { name: 'emulator', version: '2.19.0', roles: ['cluster_manager', 'data', 'ingest'] },
        },
      });
    case '_aliases':
      if (m === 'POST' && second === undefined) return updateAliases(store, req.json());
      return aliasRoutes(store, req, undefined, second);
    case '_alias':
      return aliasRoutes(store, req, undefined, second);
    case '_index_template':
      return indexTemplates(store, req, second);
    case '_component_template':
      return componentTemplates(store, req, second);
    case '_ingest':
      if (second === 'pipeline') return pipelineRoute(store, req, third);
      return ok({ acknowledged: true });
    case '_mapping':
      return mappingRoute(store, req, '');
    case '_settings':
      return settingsRoute(store, req, '');
    case '_bulk':
      return bulkResponse(store, req, null);
    case '_mget':
      return mget(store, req, '');
    case '_refresh':
    case '_flush':
    case '_forcemerge':
      return ok(refreshShards(store, store.resolve('_all')));
    case '_search':
      if (second === 'scroll') return scrollRoute(store, req, third);
      if (second === 'point_in_time' && m === 'DELETE') {
        const b = req.text.trim() ? req.json() : {};
        const out = clearCursor(store, third === '_all' ? '_all' : b.pit_id, 'pit');
        return ok(out.body, out.status);
      }
      return searchRoutes(store, req, '', '_search', second);
    case '_count':
    case '_msearch':
      return searchRoutes(store, req, '', first, second);
    case '_tasks': {
      const task = second === undefined ? undefined : store.tasks.get(second);
      if (!task)
        throw new OsError(
          404,
          'resource_not_found_exception',
          `task [${second}] isn't running and hasn't stored its results`,
        );
      return ok(task);
    }
    case '_reindex':
    case '_delete_by_query':
      if (third === '_rethrottle') {
        const task = store.tasks.get(second ?? '');
        if (!task) throw new OsError(404, 'resource_not_found_exception', `task [${second}] is missing`);
        return ok({ nodes: { emulator: { name: 'emulator', tasks: { [second as string]: task.task } } } });
      }
      return null;
    case '_stats':
      return ok({ _shards: { total: 1, successful: 1, failed: 0 }, _all: {}, indices: {} });
    default:
      return null;
  }
}

export function route(store: Store, req: Req): Res {
  const [first] = req.parts;
  if (first === undefined) return req.method === 'HEAD' ? ok(null) : ok(info());
  if (first.startsWith('_')) {
    const out = underscoreRoutes(store, req);
    if (out) return out;
  }
  return indexRoutes(store, req);
}
