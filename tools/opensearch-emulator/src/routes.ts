// Maps a request (method + path) to the emulated OpenSearch API.
import { bulk, getDoc, type Json, updateDoc, writeOptions, writeResult } from './docs-api.js';
import { indexNotFound, OsError } from './errors.js';
import type { Faults } from './faults.js';
import { clearCursor, count, deleteByQuery, msearch, openPit, scroll, search } from './search-api.js';
import type { Store } from './store.js';
import { parseTemplate } from './templates.js';

export interface Req {
  readonly method: string;
  readonly parts: string[];
  readonly query: URLSearchParams;
  readonly text: string;
  json(): Json;
}

export interface Res {
  readonly status: number;
  readonly body: Json | string | null;
}

const ok = (body: Json | string | null, status = 200): Res => ({ status, body });

function refreshIfAsked(store: Store, q: URLSearchParams, names: Iterable<string>): void {
  const r = q.get('refresh');
  if (r === '' || r === 'true' || r === 'wait_for') store.refresh([...names]);
}

function aliasesAction(store: Store, body: Json): Res {
  const actions = (body.actions ?? []) as Json[];
  const backup = new Map([...store.aliases].map(([k, v]) => [k, new Set(v)]));
  // Atomic like OpenSearch: index removals happen only once every action has applied.
  const removals: string[] = [];
  try {
    for (const action of actions) {
      const [kind, spec] = Object.entries(action)[0] as [string, Json];
      const indices = (spec.indices as string[]) ?? [String(spec.index)];
      const aliases = (spec.aliases as string[]) ?? [String(spec.alias)];
      for (const index of indices.flatMap((i) => store.resolve(i))) {
        if (kind === 'add') for (const a of aliases) store.addAlias(a, index);
        else if (kind === 'remove') for (const a of aliases) store.removeAlias(a, index);
        else if (kind === 'remove_index') removals.push(index);
        else throw new OsError(400, 'illegal_argument_exception', `unknown alias action [${kind}]`);
      }
    }
  } catch (error) {
    store.aliases.clear();
    for (const [k, v] of backup) store.aliases.set(k, v);
    throw error;
  }
  for (const index of removals) store.deleteIndex(index);
  return ok({ acknowledged: true });
}

function aliasView(store: Store, names: string[], only?: string): Json {
  const out: Json = {};
  for (const n of names) {
    const aliases: Json = {};
    for (const [a, members] of store.aliases) if (members.has(n) && (!only || a === only)) aliases[a] = {};
    if (!only || Object.keys(aliases).length > 0) out[n] = { aliases };
  }
  return out;
}

function catIndices(store: Store, q: URLSearchParams): Res {
  const rows = [...store.indexes.values()].map((i) => ({
    health: 'green',
    status: 'open',
    index: i.name,
    uuid: i.uuid,
    pri: '1',
    rep: '0',
    'docs.count': String(i.searchable.size),
    'docs.deleted': '0',
  }));
  if (q.get('format') === 'json') return ok(rows as unknown as Json);
  return ok(rows.map((r) => Object.values(r).join(' ')).join('\n') + (rows.length ? '\n' : ''));
}

function indexTemplates(store: Store, req: Req, name: string | undefined): Res {
  const m = req.method;
  if (name !== undefined && (m === 'PUT' || m === 'POST')) {
    store.templates.set(name, parseTemplate(req.json()));
    return ok({ acknowledged: true });
  }
  const named =
    name === undefined ? [...store.templates.keys()] : [name].filter((n) => store.templates.has(n));
  if (name !== undefined && named.length === 0)
    throw new OsError(404, 'resource_not_found_exception', `index template matching [${name}] not found`);
  if (m === 'DELETE') {
    for (const n of named) store.templates.delete(n);
    return ok({ acknowledged: true });
  }
  if (m === 'HEAD') return ok(null, 200);
  return ok({
    index_templates: named.map((n) => ({ name: n, index_template: store.templates.get(n)?.body ?? {} })),
  });
}

function root(store: Store, req: Req, faults: Faults): Res {
  const [first, second] = req.parts;
  const m = req.method;
  if (!first)
    return ok({
      name: 'emulator',
      cluster_name: 'flusso-emulator',
      version: { number: '2.19.0', distribution: 'opensearch' },
      tagline: 'The OpenSearch Project: https://opensearch.org/',
    });
  if (first === '_cluster' && second === 'health')
    return ok({
      cluster_name: 'flusso-emulator',
      status: 'green',
      number_of_nodes: 1,
      active_shards: store.indexes.size,
    });
  if (first === '_cat' && second === 'indices') return catIndices(store, req.query);
  if (first === '_nodes')
    return ok({
      _nodes: { total: 1, successful: 1, failed: 0 },
      nodes: { emulator: { name: 'emulator', version: '2.19.0' } },
    });
  if (first === '_aliases' && m === 'POST') return aliasesAction(store, req.json());
  if (first === '_alias' && second) {
    if (!store.aliases.has(second)) return ok({ error: `alias [${second}] missing`, status: 404 }, 404);
    return ok(aliasView(store, store.resolve(second), second));
  }
  if (first === '_index_template') return indexTemplates(store, req, second);
  if (first === '_bulk') return bulkRes(store, req, faults, null);
  if (first === '_search' && second === 'scroll')
    return m === 'DELETE'
      ? ok(clearCursor(store, req.json().scroll_id))
      : ok(scroll(store, req.text ? req.json() : {}, req.query));
  if (first === '_search' && second === 'point_in_time' && m === 'DELETE')
    return ok(clearCursor(store, req.json().pit_id));
  if (first === '_search') return ok(search(store, '', req.text ? req.json() : {}, req.query));
  if (first === '_count') return ok(count(store, '', req.text ? req.json() : {}));
  if (first === '_msearch') return ok(msearch(store, '', req.text));
  if (first === '_mget') return mget(store, req, '');
  if (first === '_refresh') {
    store.refresh([...store.indexes.keys()]);
    return ok({ _shards: { total: 1, successful: 1, failed: 0 } });
  }
  return indexRoutes(store, req, faults);
}

function bulkRes(store: Store, req: Req, faults: Faults, index: string | null): Res {
  const started = Date.now();
  const { items, touched } = bulk(store, faults, index, req.text);
  refreshIfAsked(store, req.query, touched);
  return ok({
    took: Date.now() - started,
    errors: items.some((i) => 'error' in (Object.values(i)[0] as Json)),
    items,
  });
}

function mget(store: Store, req: Req, index: string): Res {
  const body = req.json();
  const docs: Json[] =
    (body.docs as Json[] | undefined) ?? ((body.ids as string[]) ?? []).map((id) => ({ _id: id }));
  return ok({
    docs: docs.map((d) => {
      const name = String(d._index ?? index);
      try {
        return getDoc(store, name, String(d._id)).body;
      } catch (error) {
        if (error instanceof OsError) return { _index: name, _id: String(d._id), error: error.item() };
        throw error;
      }
    }),
  });
}

function indexRoutes(store: Store, req: Req, faults: Faults): Res {
  const [name = '', op, id] = req.parts;
  const m = req.method;
  if (op === undefined) {
    if (m === 'HEAD') return ok(null, store.resolve(name, true).length > 0 ? 200 : 404);
    if (m === 'PUT') {
      store.createIndex(name, req.text ? req.json() : {});
      return ok({ acknowledged: true, shards_acknowledged: true, index: name });
    }
    if (m === 'DELETE') {
      store.deleteIndex(name);
      return ok({ acknowledged: true });
    }
    if (m === 'GET') {
      const out: Json = {};
      for (const n of store.resolve(name)) {
        const i = store.indexes.get(n);
        if (i)
          out[n] = {
            ...(aliasView(store, [n])[n] as Json),
            mappings: i.mappings,
            settings: { index: i.settings },
          };
      }
      return ok(out);
    }
  }
  return docRoutes(store, req, faults, name, op ?? '', id);
}

function docRoutes(
  store: Store,
  req: Req,
  faults: Faults,
  name: string,
  op: string,
  id: string | undefined,
): Res {
  const m = req.method;
  const q = req.query;
  switch (op) {
    case '_doc':
    case '_create': {
      if (m === 'GET' || m === 'HEAD') {
        const r = getDoc(store, name, id ?? '');
        return ok(m === 'HEAD' ? null : r.body, r.status);
      }
      if (m === 'DELETE') {
        const index = store.writeTarget(name, false);
        const removed = store.remove(index, id ?? '');
        refreshIfAsked(store, q, [index.name]);
        if (!removed)
          return ok(
            {
              _index: index.name,
              _id: id,
              _version: 1,
              result: 'not_found',
              _shards: { total: 1, successful: 1, failed: 0 },
            },
            404,
          );
        return ok(writeResult(index, id ?? '', removed, 'deleted'));
      }
      const index = store.writeTarget(name);
      const docId = id ?? Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString('base64url');
      const injected = faults.rejectItem?.(name, docId);
      if (injected)
        throw new OsError(injected.status, injected.type, injected.reason ?? 'rejected by fault injection');
      const { result, doc } = store.put(
        index,
        docId,
        req.json(),
        writeOptions(q, op === '_create' ? 'create' : undefined),
      );
      refreshIfAsked(store, q, [index.name]);
      return ok(writeResult(index, docId, doc, result), result === 'created' ? 201 : 200);
    }
    case '_update': {
      const index = store.writeTarget(name);
      const { result, doc } = updateDoc(store, index, id ?? '', req.json(), writeOptions(q));
      refreshIfAsked(store, q, [index.name]);
      return ok(writeResult(index, id ?? '', doc, result), result === 'created' ? 201 : 200);
    }
    case '_bulk':
      return bulkRes(store, req, faults, name);
    case '_search':
      if (id === 'point_in_time') return ok(openPit(store, name));
      return ok(search(store, name, req.text ? req.json() : {}, q));
    case '_count':
      return ok(count(store, name, req.text ? req.json() : {}));
    case '_msearch':
      return ok(msearch(store, name, req.text));
    case '_mget':
      return mget(store, req, name);
    case '_delete_by_query':
      return ok(deleteByQuery(store, name, req.json()));
    case '_refresh':
      store.refresh(store.resolve(name));
      return ok({ _shards: { total: 1, successful: 1, failed: 0 } });
    default:
      return settingsRoutes(store, req, name, op, id);
  }
}

function settingsRoutes(store: Store, req: Req, name: string, op: string, alias: string | undefined): Res {
  const names = store.resolve(name);
  const m = req.method;
  if (op === '_settings') {
    if (m === 'PUT') {
      const body = req.json();
      const patch = (body.index as Json) ?? body;
      for (const n of names) {
        const i = store.indexes.get(n);
        if (i) i.settings = { ...i.settings, ...patch };
      }
      return ok({ acknowledged: true });
    }
    return ok(
      Object.fromEntries(
        names.map((n) => [n, { settings: { index: store.indexes.get(n)?.settings ?? {} } }]),
      ),
    );
  }
  if (op === '_mapping') {
    if (m === 'PUT' || m === 'POST') {
      store.putMapping(name, req.json());
      return ok({ acknowledged: true });
    }
    return ok(Object.fromEntries(names.map((n) => [n, { mappings: store.indexes.get(n)?.mappings ?? {} }])));
  }
  if (op === '_alias' || op === '_aliases') {
    if (!alias) return ok(aliasView(store, names));
    for (const n of names) {
      if (m === 'DELETE') store.removeAlias(alias, n);
      else if (m === 'PUT' || m === 'POST') store.addAlias(alias, n);
    }
    if (m === 'GET' || m === 'HEAD') {
      const view = aliasView(store, names, alias);
      if (Object.keys(view).length === 0)
        throw new OsError(404, 'aliases_not_found_exception', `alias [${alias}] missing`);
      return ok(view);
    }
    return ok({ acknowledged: true });
  }
  if (names.length === 0) throw indexNotFound(name);
  throw new OsError(
    400,
    'illegal_argument_exception',
    `unsupported operation [${req.method} /${req.parts.join('/')}]`,
  );
}

export { root as route };
