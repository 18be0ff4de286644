// Version checks as OpenSearch's engine applies them: internal, external,
// external_gte, if_seq_no/if_primary_term and op_type create, with its messages.
import { OsError } from './errors.js';
import { compareExact } from './exact-numbers.js';

export interface VersionState {
  readonly version: number | bigint;
  readonly seqNo: number;
  readonly primaryTerm: number;
  readonly deleted: boolean;
}

export interface VersionRequest {
  readonly opType?: 'index' | 'create' | 'delete';
  readonly ifSeqNo?: number;
  readonly ifPrimaryTerm?: number;
  /** Exact: a bigint past 2^53. */
  readonly version?: number | bigint;
  readonly versionType?: string;
}

export function versionConflict(index: string, id: string, detail: string): OsError {
  return new OsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, {
    index,
    shard: '0',
    index_uuid: 'emulated',
  });
}

const conflict = versionConflict;

/** The version the write gets, or a 409 when the request's condition does not hold. */
export function nextVersion(
  index: string,
  id: string,
  current: VersionState | undefined,
  r: VersionRequest,
): number | bigint {
  const live = current && !current.deleted ? current : undefined;
  if (r.opType === 'create' && live)
    throw conflict(index, id, `document already exists (current version [${live.version}])`);
  if (r.ifSeqNo !== undefined) {
    const term = r.ifPrimaryTerm ?? 0;
    if (!live)
      throw conflict(
        index,
        id,
        `required seqNo [${r.ifSeqNo}], primary term [${term}]. but no document was found`,
      );
    if (live.seqNo !== r.ifSeqNo || live.primaryTerm !== term)
      throw conflict(
        index,
        id,
        `required seqNo [${r.ifSeqNo}], primary term [${term}]. current document has seqNo [${live.seqNo}] and primary term [${live.primaryTerm}]`,
      );
  }
  const type = r.versionType ?? 'internal';
  if (type === 'external' || type === 'external_gte') {
    const v = r.version ?? 0;
    if (current) {
      if (type === 'external' && compareExact(v, current.version) <= 0)
        throw conflict(
          index,
          id,
          `current version [${current.version}] is higher or equal to the one provided [${v}]`,
        );
      if (type === 'external_gte' && compareExact(v, current.version) < 0)
        throw conflict(
          index,
          id,
          `current version [${current.version}] is higher than the one provided [${v}]`,
        );
    }
    return v;
  }
  if (r.version !== undefined && type === 'internal') {
    if (!live || compareExact(live.version, r.version) !== 0)
      throw conflict(
        index,
        id,
        live
          ? `current version [${live.version}] is different than the one provided [${r.version}]`
          : `required version [${r.version}], but no document was found`,
      );
  }
  const last = current?.version ?? 0;
  return typeof last === 'bigint' ? last + 1n : last + 1;
}

/** A read with `version`: 409 unless the document has exactly that version. */
export function checkReadVersion(
  index: string,
  id: string,
  current: number | bigint,
  wanted: number | undefined,
): void {
  if (wanted !== undefined && compareExact(wanted, current) !== 0)
    throw conflict(index, id, `current version [${current}] is different than the one provided [${wanted}]`);
}
