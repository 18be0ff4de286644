// Document reads and writes on one index: shard placement by routing (or id),
// per-shard sequence numbers, tombstones so versions survive deletes.
import { OsError } from './errors.js';
import { indexedSource } from './mapping.js';
import { shardFor } from './routing.js';
import type { SourceText } from './source-text.js';
import { docKey, type Index, type StoredDoc } from './store.js';
import { nextVersion, type VersionRequest } from './versioning.js';

export interface WriteOptions extends VersionRequest {
  readonly routing?: string;
}

export interface DocMeta {
  readonly shard: number;
  readonly version: number | bigint;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

const PRIMARY_TERM = 1;

function routingRequired(index: Index): boolean {
  const r = index.mappings._routing as { required?: unknown } | undefined;
  return r?.required === true || r?.required === 'true';
}

/** The shard `id` lives on given `routing`; a required but missing routing is a 400. */
export function shardOf(index: Index, id: string, routing: string | undefined): number {
  if (routing === undefined && routingRequired(index))
    throw new OsError(400, 'routing_missing_exception', `routing is required for [${index.name}]/[${id}]`, {
      index: index.name,
    });
  return shardFor(index.layout, routing ?? id);
}

export function readDoc(index: Index, id: string, routing: string | undefined): StoredDoc | undefined {
  return index.docs.get(docKey(shardOf(index, id, routing), id));
}

/** `index.gc_deletes` in ms (a time value; default 60s, as `IndexSettings.INDEX_GC_DELETES_SETTING`). */
export function gcDeletesMs(index: Index): number {
  const raw = index.settings.gc_deletes;
  if (raw === undefined || raw === null) return 60_000;
  const m = /^(-?\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)?$/.exec(String(raw).trim());
  if (!m) return 60_000;
  const unit = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * (m[2] ? unit[m[2] as keyof typeof unit] : 1);
}

function state(index: Index, key: string) {
  const live = index.docs.get(key);
  if (live) return { ...live, deleted: false };
  const dead = index.tombstones.get(key);
  if (!dead) return undefined;
  // `InternalEngine.resolveDocVersion`: a delete's version is forgotten once it is older
  // than `index.gc_deletes`; the id is then as new (version 1, any external version wins).
  if (Date.now() - dead.deletedAt > gcDeletesMs(index)) {
    index.tombstones.delete(key);
    return undefined;
  }
  return { ...dead, deleted: true };
}

function takeSeqNo(index: Index, shard: number): number {
  const seqNo = index.seqNos[shard] ?? 0;
  index.seqNos[shard] = seqNo + 1;
  return seqNo;
}

/** Indexes `source` under `id`; `created` or `updated`, or a 409 per the version request. */
export function writeDoc(
  index: Index,
  id: string,
  source: SourceText,
  options: WriteOptions,
): { result: 'created' | 'updated'; doc: StoredDoc } {
  const shard = shardOf(index, id, options.routing);
  const key = docKey(shard, id);
  const current = state(index, key);
  const version = nextVersion(index.name, id, current, options);
  const doc: StoredDoc = {
    id,
    shard,
    raw: source.raw,
    source: indexedSource(index.mappings.properties, source.source),
    version,
    seqNo: takeSeqNo(index, shard),
    primaryTerm: PRIMARY_TERM,
    ...(options.routing === undefined ? {} : { routing: options.routing }),
  };
  index.docs.set(key, doc);
  index.tombstones.delete(key);
  return { result: current && !current.deleted ? 'updated' : 'created', doc };
}

/** Deletes `id`; a missing document still takes a sequence number, as in OpenSearch. */
export function deleteDoc(
  index: Index,
  id: string,
  options: WriteOptions,
): { found: boolean; meta: DocMeta } {
  const shard = shardOf(index, id, options.routing);
  const key = docKey(shard, id);
  const current = state(index, key);
  const found = current !== undefined && !current.deleted;
  const version = nextVersion(index.name, id, current, { ...options, opType: 'delete' });
  const meta = { shard, version, seqNo: takeSeqNo(index, shard), primaryTerm: PRIMARY_TERM };
  index.docs.delete(key);
  index.tombstones.set(key, { ...meta, deletedAt: Date.now() });
  return { found, meta };
}
