// `_bulk` and `_mget` routes.
import { parseBulk, runBulk } from './bulk-api.js';
import { getDoc, type Json } from './docs-api.js';
import { OsError, validationFailed } from './errors.js';
import { refreshForced, refreshIfAsked } from './refresh-param.js';
import { ok, type Req, type Res } from './req-res.js';
import { sourceSpec } from './source-filter.js';
import type { Store } from './store.js';

export function bulkResponse(store: Store, req: Req, index: string | null): Res {
  const started = Date.now();
  const actions = parseBulk(req.text, index);
  const { items, touched } = runBulk(store, actions, index, {
    faults: req.faults,
    q: req.query,
    forced: refreshForced(req.query),
  });
  refreshIfAsked(store, req.query, touched);
  return ok({
    took: Date.now() - started,
    errors: items.some((i) => 'error' in (Object.values(i)[0] as Json)),
    items,
  });
}

const DOC_FIELDS = new Set([
  '_index',
  '_id',
  'routing',
  '_source',
  'stored_fields',
  'version',
  'version_type',
  '_type',
]);

function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : String(v).split(',');
}

export function mget(store: Store, req: Req, index: string): Res {
  const body = req.json();
  const q = req.query;
  for (const key of Object.keys(body))
    if (key !== 'docs' && key !== 'ids')
      throw new OsError(400, 'parsing_exception', `unknown parameter [${key}]`);
  const docs: Json[] =
    (body.docs as Json[] | undefined) ?? ((body.ids as unknown[]) ?? []).map((id) => ({ _id: id }));
  if (!Array.isArray(docs) || docs.length === 0) throw validationFailed(['no documents to get']);
  const errors: string[] = [];
  docs.forEach((d, i) => {
    if (!d || typeof d !== 'object') errors.push(`item ${i} is not an object`);
    else {
      if ((d._index ?? index) === '') errors.push(`index is missing for doc ${i}`);
      if (d._id === undefined || d._id === null) errors.push(`id is missing for doc ${i}`);
    }
  });
  if (errors.length > 0) throw validationFailed(errors);
  return ok({
    docs: docs.map((d) => {
      for (const key of Object.keys(d))
        if (!DOC_FIELDS.has(key)) throw new OsError(400, 'parsing_exception', `unknown parameter [${key}]`);
      const name = String(d._index ?? index);
      const id = String(d._id);
      try {
        const source = d._source === undefined ? sourceSpec(undefined, q) : sourceSpec(d._source);
        const stored = list(d.stored_fields) ?? list(q.get('stored_fields') ?? undefined);
        const routing = d.routing ?? d._routing ?? q.get('routing') ?? undefined;
        return getDoc(store, {
          index: name,
          id,
          routing: routing === undefined ? undefined : String(routing),
          source,
          storedFields: stored,
          realtime: q.get('realtime') !== 'false',
          refresh: q.get('refresh') === 'true',
        }).body;
      } catch (error) {
        if (error instanceof OsError) return { _index: name, _id: id, error: error.body().error };
        throw error;
      }
    }),
  });
}
