// Routes for one document: `/{index}/_doc|_create|_update|_source/{id}`.
import { randomId } from './bulk-api.js';
import { checkPipeline } from './cluster-settings.js';
import {
  deleteCreatesIndex,
  getDoc,
  putDoc,
  readTarget,
  removeDoc,
  writeOptions,
  writeResult,
} from './docs-api.js';
import { mirrorWrite } from './dual-write.js';
import { indexNotFound, OsError } from './errors.js';
import { refreshForced, refreshIfAsked, refreshShardIfAsked } from './refresh-param.js';
import type { Req, Res } from './req-res.js';
import { sourceSpec } from './source-filter.js';
import { sourceText } from './source-text.js';
import type { Store } from './store.js';
import { parseUpdateBody, updateDoc } from './update-api.js';

const ok = (body: unknown, status = 200): Res => ({ status, body });

function optionalInt(q: URLSearchParams, key: string): number | undefined {
  return q.has(key) ? Number(q.get(key)) : undefined;
}

function storedFieldsParam(q: URLSearchParams): string[] | undefined {
  return q.has('stored_fields') ? String(q.get('stored_fields')).split(',').filter(Boolean) : undefined;
}

function read(store: Store, req: Req, name: string, id: string, sourceOnly: boolean): Res {
  const q = req.query;
  const source = sourceSpec(undefined, q);
  const r = getDoc(store, {
    index: name,
    id,
    routing: q.get('routing') ?? undefined,
    version: optionalInt(q, 'version'),
    source,
    storedFields: sourceOnly ? undefined : storedFieldsParam(q),
    realtime: q.get('realtime') !== 'false',
    refresh: q.get('refresh') === 'true',
  });
  if (req.method === 'HEAD') return ok(null, r.status);
  if (!sourceOnly) return ok(r.body, r.status);
  if (r.status === 404)
    throw new OsError(
      404,
      'resource_not_found_exception',
      `Document not found [${readTarget(store, name).name}]/[${id}]`,
    );
  if (r.body._source === undefined)
    throw new OsError(404, 'resource_not_found_exception', `Source not found [${name}]/[${id}]`);
  return ok(r.body._source);
}

function write(store: Store, req: Req, name: string, op: string, id: string | undefined): Res {
  const q = req.query;
  if (id === '' || (op === '_create' && id === undefined))
    throw new OsError(400, 'illegal_argument_exception', 'if _id is specified it must not be empty');
  const docId = id ?? randomId();
  const injected = req.faults.rejectItem?.(name, docId);
  if (injected)
    throw new OsError(injected.status, injected.type, injected.reason ?? 'rejected by fault injection');
  const options = writeOptions(q, id, 'index', op === '_create' ? 'create' : undefined);
  checkPipeline(store, q.get('pipeline') ?? undefined);
  const put = putDoc(store, name, docId, sourceText(req.text), {
    ...options,
    requireAlias: q.get('require_alias') === 'true',
  });
  refreshShardIfAsked(store, q, put.index, put.doc.shard);
  mirrored(store, q, put.index.name, docId, put.result);
  return ok(
    writeResult(put.index, docId, put.doc, put.result, refreshForced(q)),
    put.result === 'created' ? 201 : 200,
  );
}

/** Mirrors a single-document write per `index.dual_write`, refreshing the mirror when asked. */
function mirrored(store: Store, q: URLSearchParams, index: string, id: string, result: unknown): void {
  const item = mirrorWrite(store, index, id, result, q.get('routing') ?? undefined);
  const target = item ? String((Object.values(item)[0] as Record<string, unknown>)._index) : undefined;
  if (target !== undefined) refreshIfAsked(store, q, [target]);
}

export function docRoutes(
  store: Store,
  req: Req,
  name: string,
  op: string,
  id: string | undefined,
): Res | null {
  const m = req.method;
  const q = req.query;
  if (op === '_source') {
    if (m !== 'GET' && m !== 'HEAD') return null;
    return read(store, req, name, id ?? '', true);
  }
  if (op === '_update') {
    if (m !== 'POST') return null;
    const body = parseUpdateBody(req.text);
    const spec = q.get('_source') ?? q.get('_source_includes') ?? body._source;
    const out = updateDoc(store, name, id ?? '', body, {
      ...writeOptions(q, id, 'update'),
      requireAlias: q.get('require_alias') === 'true',
      ...(spec === undefined || spec === null ? {} : { source: sourceSpec(body._source, q) }),
    });
    refreshIfAsked(store, q, [out.index.name]);
    mirrored(store, q, out.index.name, id ?? '', out.body.result);
    return ok(refreshForced(q) ? { ...out.body, forced_refresh: true } : out.body, out.status);
  }
  if (op !== '_doc' && op !== '_create') return null;
  if ((m === 'GET' || m === 'HEAD') && op === '_doc' && id !== undefined)
    return read(store, req, name, id, false);
  if (m === 'DELETE' && op === '_doc' && id !== undefined) {
    const options = writeOptions(q, id, 'delete');
    const creates = deleteCreatesIndex(options.versionType, false);
    if (!creates && !store.indexes.has(name) && !store.aliases.has(name)) throw indexNotFound(name);
    const r = removeDoc(store, name, id, options, creates);
    refreshShardIfAsked(store, q, r.index, r.shard);
    if (r.found) mirrored(store, q, r.index.name, id, 'deleted');
    const body = refreshForced(q) ? { ...r.body, forced_refresh: true } : r.body;
    return ok(body, r.found ? 200 : 404);
  }
  if (m === 'PUT' || m === 'POST') return write(store, req, name, op, id);
  return null;
}
