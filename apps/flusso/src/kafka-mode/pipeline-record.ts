// The records of the flusso change topic (`[pipeline] mode = "kafka"`). The
// capture role produces them, workers consume them. Two kinds:
//   change   one (index, document id) a committed change touched, keyed by it
//            (so one document's records stay on one partition, in order), with
//            the commit end LSN at which the capture saw the change;
//   backfill a chunk of document ids of one index (a page of the root table's
//            keys), keyed by index and first id; workers build it from current rows;
//   layout   produced to every partition after the capture rebuilt an index into a
//            new generation (TRUNCATE): a worker re-reads the index layout before
//            writing anything that follows it.
// Values are JSON text; a document id is already a string, the LSN is Postgres'
// `X/Y` text, so no number ever goes through a double.
import { type DocumentId, FlussoError, formatLsn, type IndexName, type Lsn, parseLsn } from '@flusso/core';

export type PipelineRecord =
  | { readonly kind: 'change'; readonly index: IndexName; readonly id: DocumentId; readonly lsn: Lsn }
  | { readonly kind: 'backfill'; readonly index: IndexName; readonly ids: readonly DocumentId[] }
  | { readonly kind: 'layout'; readonly index: IndexName };

/** The topic record: its key and JSON value (and a partition when it must go to one). */
export interface EncodedRecord {
  readonly key: string;
  readonly value: string;
  readonly partition?: number;
}

const FORMAT = 1;

export function encodeRecord(record: PipelineRecord): EncodedRecord {
  if (record.kind === 'change')
    return {
      key: JSON.stringify([record.index, record.id]),
      value: JSON.stringify({
        v: FORMAT,
        kind: 'change',
        index: record.index,
        id: record.id,
        lsn: formatLsn(record.lsn),
      }),
    };
  if (record.kind === 'layout')
    return {
      key: JSON.stringify([record.index, 'layout']),
      value: JSON.stringify({ v: FORMAT, kind: 'layout', index: record.index }),
    };
  return {
    key: JSON.stringify([record.index, `backfill:${record.ids[0] ?? ''}`]),
    value: JSON.stringify({ v: FORMAT, kind: 'backfill', index: record.index, ids: record.ids }),
  };
}

function malformed(what: string): FlussoError {
  return new FlussoError('decode_failed', `change topic record: ${what}`);
}

const isString = (v: unknown): v is string => typeof v === 'string';

export function decodeRecord(value: Buffer | null): PipelineRecord {
  if (value === null) throw malformed('empty value');
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch {
    throw malformed('not JSON');
  }
  if (typeof raw !== 'object' || raw === null) throw malformed('not an object');
  const r = raw as Record<string, unknown>;
  if (r.v !== FORMAT) throw malformed('unknown format version');
  if (!isString(r.index)) throw malformed('index missing');
  const index = r.index as IndexName;
  if (r.kind === 'change') {
    if (!isString(r.id) || !isString(r.lsn)) throw malformed('id or lsn missing');
    return { kind: 'change', index, id: r.id as DocumentId, lsn: parseLsn(r.lsn) };
  }
  if (r.kind === 'backfill') {
    if (!Array.isArray(r.ids) || !r.ids.every(isString)) throw malformed('ids missing');
    return { kind: 'backfill', index, ids: r.ids as DocumentId[] };
  }
  if (r.kind === 'layout') return { kind: 'layout', index };
  throw malformed('unknown kind');
}
