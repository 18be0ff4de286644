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
  readonly version: number;
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

function state(index: Index, key: string) {
  const live = index.docs.get(key);
  if (live) return { ...live, deleted: false };
  const dead = index.tombstones.get(key);
  return dead ? { ...dead, deleted: true } : undefined;
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
  index.tombstones.set(key, meta);
  return { found, meta };
}
