// Document APIs by id: index/create, GET (with routing, version checks, source
// filtering and stored fields), `_source`, HEAD and DELETE.
import { deleteDoc, shardOf, type WriteOptions, writeDoc } from './documents.js';
import { indexNotFound, OsError, validationFailed } from './errors.js';
import { filteredSource, type sourceSpec } from './source-filter.js';
import type { SourceText } from './source-text.js';
import { docKey, type Index, type Store, type StoredDoc, sourceEnabled } from './store.js';
import { storedFields } from './stored-fields.js';
import { checkReadVersion } from './versioning.js';

export type Json = Record<string, unknown>;

function integer(q: URLSearchParams, key: string): number | undefined {
  if (!q.has(key)) return undefined;
  const n = Number(q.get(key));
  if (!Number.isInteger(n))
    throw new OsError(400, 'illegal_argument_exception', `Failed to parse [${key}] value [${q.get(key)}]`);
  return n;
}

export interface RawWriteOptions {
  routing?: unknown;
  opType?: unknown;
  ifSeqNo?: unknown;
  ifPrimaryTerm?: unknown;
  version?: unknown;
  versionType?: unknown;
}

const LONG_MAX = 2n ** 63n - 1n;

/**
 * A version value exactly (a bigint past 2^53: external versions are 64-bit); one beyond a
 * Java long is refused as OpenSearch's parser refuses it.
 */
function exactVersion(raw: unknown): number | bigint {
  const text = typeof raw === 'bigint' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^-?\d+$/.test(text)) return Number(raw);
  const big = BigInt(text);
  if (big > LONG_MAX || big < -LONG_MAX - 1n)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Numeric value (${text}) out of range of long (-9223372036854775808 - 9223372036854775807)`,
    );
  return big > BigInt(Number.MAX_SAFE_INTEGER) || big < -BigInt(Number.MAX_SAFE_INTEGER) ? big : Number(big);
}

/** Write options from raw values, checked as `IndexRequest.validate` does. */
export function checkedWriteOptions(
  raw: RawWriteOptions,
  id: string | undefined,
  kind: 'index' | 'delete' | 'update',
): WriteOptions {
  const errors: string[] = [];
  const versionType = raw.versionType === undefined ? 'internal' : String(raw.versionType);
  if (!['internal', 'external', 'external_gte', 'force'].includes(versionType))
    throw new OsError(400, 'illegal_argument_exception', `No version type match [${versionType}]`);
  const version = raw.version === undefined ? undefined : exactVersion(raw.version);
  const ifSeqNo = raw.ifSeqNo === undefined ? undefined : Number(raw.ifSeqNo);
  const ifPrimaryTerm = raw.ifPrimaryTerm === undefined ? undefined : Number(raw.ifPrimaryTerm);
  const opType = raw.opType === undefined ? undefined : String(raw.opType);
  if (opType !== undefined && opType !== 'index' && opType !== 'create')
    throw new OsError(
      400,
      'illegal_argument_exception',
      `opType must be 'create' or 'index', found: [${opType}]`,
    );
  // `VersionType.validateVersionForWrites`: external versions are >= 0 (none given is
  // MATCH_ANY, -3); internal ones > 0, MATCH_ANY or MATCH_DELETED (-4).
  const resolved = version ?? -3;
  const validVersion =
    versionType === 'external' || versionType === 'external_gte'
      ? resolved >= 0
      : resolved > 0 || resolved === -3 || resolved === -4;
  if (!validVersion)
    errors.push(`illegal version value [${resolved}] for version type [${versionType.toUpperCase()}]`);
  if (versionType === 'internal' && version !== undefined && version !== -3 && version !== -4)
    errors.push(
      'internal versioning can not be used for optimistic concurrency control. Please use `if_seq_no` and `if_primary_term` instead',
    );
  if (kind === 'update' && versionType !== 'internal')
    errors.push('only internal versioning can be used with update requests');
  if (opType === 'create' && versionType !== 'internal')
    errors.push('create operations only support internal versioning. use index instead');
  if (ifSeqNo !== undefined && (versionType !== 'internal' || version !== undefined))
    errors.push('compare and write operations can not use versioning');
  if (ifSeqNo !== undefined && ifSeqNo < 0) errors.push(`ifSeqNo must be non negative, found [${ifSeqNo}]`);
  if (ifPrimaryTerm === 0 && ifSeqNo !== undefined) errors.push('ifSeqNo is set, but primary term is [0]');
  if (ifPrimaryTerm !== undefined && ifPrimaryTerm !== 0 && ifSeqNo === undefined)
    errors.push(`ifSeqNo is unassigned, but primary term is [${ifPrimaryTerm}]`);
  if (id !== undefined && Buffer.byteLength(id) > 512)
    errors.push(`id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)}`);
  if (errors.length > 0) throw validationFailed(errors);
  return {
    ...(raw.routing === undefined || raw.routing === null || raw.routing === ''
      ? {}
      : { routing: String(raw.routing) }),
    ...(opType === 'create' ? { opType: 'create' as const } : {}),
    ...(ifSeqNo === undefined ? {} : { ifSeqNo, ifPrimaryTerm: ifPrimaryTerm ?? 0 }),
    ...(version === undefined ? {} : { version, versionType }),
  };
}

export function writeOptions(
  q: URLSearchParams,
  id: string | undefined,
  kind: 'index' | 'delete' | 'update',
  opType?: 'create',
): WriteOptions {
  integer(q, 'if_seq_no');
  integer(q, 'if_primary_term');
  return checkedWriteOptions(
    {
      routing: q.get('routing') ?? undefined,
      opType: opType ?? q.get('op_type') ?? undefined,
      ifSeqNo: q.get('if_seq_no') ?? undefined,
      ifPrimaryTerm: q.get('if_primary_term') ?? undefined,
      version: integer(q, 'version'),
      versionType: q.get('version_type') ?? undefined,
    },
    id,
    kind,
  );
}

export function docMeta(
  index: Index,
  id: string,
  doc: Pick<StoredDoc, 'version' | 'seqNo' | 'primaryTerm'>,
): Json {
  return {
    _index: index.name,
    _id: id,
    _version: doc.version,
    _seq_no: doc.seqNo,
    _primary_term: doc.primaryTerm,
  };
}

export function writeResult(
  index: Index,
  id: string,
  doc: Pick<StoredDoc, 'version' | 'seqNo' | 'primaryTerm'>,
  result: string,
  forced = false,
): Json {
  const shards = { total: 1 + Number(index.settings.number_of_replicas ?? 1), successful: 1, failed: 0 };
  return { ...docMeta(index, id, doc), result, ...(forced ? { forced_refresh: true } : {}), _shards: shards };
}

/** The index a read by id targets (an alias must name one index). */
export function readTarget(store: Store, expression: string): Index {
  const names = store.resolve(expression);
  if (names.length > 1)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `alias [${expression}] has more than one index associated with it [${names.join(', ')}], can't execute a single index op`,
    );
  const index = store.indexes.get(names[0] ?? expression);
  if (!index) throw indexNotFound(expression);
  return index;
}

/** A read's routing: its own, or the alias's search routing. */
export function readRouting(
  store: Store,
  expression: string,
  index: Index,
  routing: string | undefined,
): string | undefined {
  if (routing !== undefined && routing !== '') return routing;
  return store.aliases.props(expression, index.name)?.searchRouting?.split(',')[0];
}

export interface GetRequest {
  readonly index: string;
  readonly id: string;
  readonly routing?: string | undefined;
  readonly version?: number | undefined;
  readonly source: ReturnType<typeof sourceSpec>;
  readonly storedFields?: string[] | undefined;
  /** false: only what a refresh made searchable. */
  readonly realtime?: boolean;
  readonly refresh?: boolean;
}

export function getDoc(store: Store, r: GetRequest): { status: number; body: Json } {
  const index = readTarget(store, r.index);
  if (r.refresh) store.refresh([index.name]);
  const shard = shardOf(index, r.id, readRouting(store, r.index, index, r.routing));
  const doc = (r.realtime === false ? index.searchable : index.docs).get(docKey(shard, r.id));
  if (!doc) return { status: 404, body: { _index: index.name, _id: r.id, found: false } };
  checkReadVersion(index.name, r.id, doc.version, r.version);
  const fetchSource =
    r.storedFields === undefined || r.source.explicit || r.storedFields.includes('_source')
      ? r.source
      : { ...r.source, fetch: false };
  const source = sourceEnabled(index) ? filteredSource(doc.raw, fetchSource) : undefined;
  const fields = r.storedFields ? storedFields(index, doc.source, r.storedFields) : undefined;
  return {
    status: 200,
    body: {
      ...docMeta(index, r.id, doc),
      ...(doc.routing === undefined ? {} : { _routing: doc.routing }),
      found: true,
      ...(source === undefined ? {} : { _source: source }),
      ...(fields && Object.keys(fields).length > 0 ? { fields } : {}),
    },
  };
}

export function putDoc(
  store: Store,
  target: string,
  id: string,
  source: SourceText,
  options: WriteOptions & { requireAlias?: boolean },
): { index: Index; result: 'created' | 'updated'; doc: StoredDoc } {
  if (options.requireAlias && !store.aliases.has(target))
    throw new OsError(
      404,
      'index_not_found_exception',
      `no such index [${target}] and [require_alias] request flag is [true] and [${target}] is not an alias`,
      { index: target },
    );
  const index = store.writeTarget(target);
  const routing = store.writeRouting(target, options.routing);
  store.checkMapping(index, source.source, source.tree);
  const { result, doc } = writeDoc(index, id, source, {
    ...options,
    ...(routing === undefined ? {} : { routing }),
  });
  return { index, result, doc };
}

/**
 * `TransportBulkAction`: a delete creates a missing index only when it is externally
 * versioned (its tombstone must outlive the index's absence), and never when any
 * request of the same bulk to that name requires an alias (the flags are OR-ed per name).
 */
export function deleteCreatesIndex(versionType: unknown, aliasRequired: boolean): boolean {
  return (versionType === 'external' || versionType === 'external_gte') && !aliasRequired;
}

export function removeDoc(
  store: Store,
  target: string,
  id: string,
  options: WriteOptions,
  autoCreate = false,
): { index: Index; found: boolean; shard: number; body: Json } {
  const index = store.writeTarget(target, autoCreate);
  const routing = store.writeRouting(target, options.routing);
  const { found, meta } = deleteDoc(index, id, { ...options, ...(routing === undefined ? {} : { routing }) });
  return {
    index,
    found,
    shard: meta.shard,
    body: writeResult(index, id, meta, found ? 'deleted' : 'not_found'),
  };
}
