// Document APIs: _doc, _create, _update, GET/HEAD/DELETE by id, _mget, _bulk.
import { randomUUID } from 'node:crypto';
import { indexNotFound, OsError } from './errors.js';
import type { Faults } from './faults.js';
import type { Index, Store, StoredDoc, WriteOptions } from './store.js';

export type Json = Record<string, unknown>;

export function writeOptions(q: URLSearchParams, opType?: 'create'): WriteOptions {
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  const o: WriteOptions = {
    ...(q.get('routing') ? { routing: q.get('routing') as string } : {}),
    ...(opType || q.get('op_type') === 'create' ? { opType: 'create' as const } : {}),
    ...(num('if_seq_no') !== undefined
      ? { ifSeqNo: num('if_seq_no') as number, ifPrimaryTerm: num('if_primary_term') ?? 1 }
      : {}),
    ...(num('version') !== undefined
      ? { version: num('version') as number, versionType: q.get('version_type') ?? 'internal' }
      : {}),
  };
  return o;
}

export function docMeta(index: Index, id: string, doc: StoredDoc): Json {
  return { _index: index.name, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: 1 };
}

export function writeResult(index: Index, id: string, doc: StoredDoc, result: string): Json {
  return { ...docMeta(index, id, doc), result, _shards: { total: 1, successful: 1, failed: 0 } };
}

export function getDoc(store: Store, indexName: string, id: string): { status: number; body: Json } {
  const index = store.indexes.get(store.resolve(indexName)[0] ?? indexName);
  if (!index) throw indexNotFound(indexName);
  const doc = index.docs.get(id);
  if (!doc) return { status: 404, body: { _index: index.name, _id: id, found: false } };
  return {
    status: 200,
    body: {
      ...docMeta(index, id, doc),
      ...(doc.routing ? { _routing: doc.routing } : {}),
      found: true,
      _source: doc.source,
    },
  };
}

export function updateDoc(
  store: Store,
  index: Index,
  id: string,
  body: Json,
  options: WriteOptions,
): { result: string; doc: StoredDoc } {
  const existing = index.docs.get(id);
  if (!existing) {
    if (body.doc_as_upsert && body.doc) return store.put(index, id, body.doc as Json, options);
    if (body.upsert) return store.put(index, id, body.upsert as Json, options);
    throw new OsError(404, 'document_missing_exception', `[${id}]: document missing`, {
      index: index.name,
      shard: '0',
    });
  }
  const merged = deepMerge(existing.source, (body.doc ?? {}) as Json);
  if (JSON.stringify(merged) === JSON.stringify(existing.source)) return { result: 'noop', doc: existing };
  return store.put(index, id, merged, options);
}

function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as Json, v as Json)
        : v;
  }
  return out;
}

function parseLine(line: string, n: number): Json {
  try {
    const v = JSON.parse(line);
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Json;
  } catch {
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Malformed action/metadata line [${n}], expected START_OBJECT`,
    );
  }
}

/** Executes an NDJSON bulk body; per-item results with real error bodies. */
export function bulk(
  store: Store,
  faults: Faults,
  defaultIndex: string | null,
  text: string,
): { items: Json[]; touched: Set<string> } {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const items: Json[] = [];
  const touched = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const action = parseLine(lines[i] as string, i + 1);
    const [op, meta] = Object.entries(action)[0] as [string, Json];
    if (!['index', 'create', 'update', 'delete'].includes(op))
      throw new OsError(
        400,
        'illegal_argument_exception',
        `Malformed action/metadata line [${i + 1}], expected one of [create, delete, index, update] but found [${op}]`,
      );
    const source = op === 'delete' ? null : parseLine(lines[++i] ?? '', i + 1);
    const target = String(meta._index ?? defaultIndex ?? '');
    const id = meta._id === undefined ? randomUUID().replaceAll('-', '').slice(0, 20) : String(meta._id);
    items.push({ [op]: bulkItem(store, faults, op, target, id, meta, source, touched) });
  }
  return { items, touched };
}

function bulkItem(
  store: Store,
  faults: Faults,
  op: string,
  target: string,
  id: string,
  meta: Json,
  source: Json | null,
  touched: Set<string>,
): Json {
  try {
    if (!target)
      throw new OsError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: index is missing;',
      );
    const injected = faults.rejectItem?.(target, id);
    if (injected)
      throw new OsError(injected.status, injected.type, injected.reason ?? 'rejected by fault injection');
    const options: WriteOptions = {
      ...(meta.routing ? { routing: String(meta.routing) } : {}),
      ...(op === 'create' ? { opType: 'create' as const } : {}),
      ...(meta.if_seq_no !== undefined ? { ifSeqNo: Number(meta.if_seq_no) } : {}),
      ...(meta.version !== undefined
        ? { version: Number(meta.version), versionType: String(meta.version_type ?? 'internal') }
        : {}),
    };
    if (op === 'delete') {
      const index = store.writeTarget(target, false);
      touched.add(index.name);
      const removed = store.remove(index, id, options);
      const meta2 = {
        _index: index.name,
        _id: id,
        _version: removed?.version ?? 1,
        _seq_no: removed?.seqNo ?? store.nextSeq(),
        _primary_term: 1,
      };
      return removed
        ? { ...meta2, result: 'deleted', status: 200 }
        : { ...meta2, result: 'not_found', status: 404 };
    }
    const index = store.writeTarget(target);
    touched.add(index.name);
    const { result, doc } =
      op === 'update'
        ? updateDoc(store, index, id, source ?? {}, options)
        : store.put(index, id, source ?? {}, options);
    return { ...writeResult(index, id, doc, result), status: result === 'created' ? 201 : 200 };
  } catch (error) {
    if (!(error instanceof OsError)) throw error;
    return { _index: target, _id: id, status: error.status, error: error.item() };
  }
}
