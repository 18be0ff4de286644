// One record of the async-write topic decoded into the write it applies: the
// resolved target (physical index, id, routing) and the document as raw text,
// with the record's offset, which orders it among its document's writes.
import type { ConsumedRecord } from '@flusso/sinks/kafka';
import { rawMember } from './raw-member.js';

export type ApplyAction = 'index' | 'create' | 'update' | 'delete';

const ACTIONS = new Set<string>(['index', 'create', 'update', 'delete']);

export interface ApplyOp {
  readonly opId: string;
  readonly offset: bigint;
  readonly action: ApplyAction;
  readonly index: string;
  readonly id: string;
  readonly routing?: string;
  /** The document (or update body) exactly as the record carries it; null for a delete. */
  readonly source: string | null;
}

/** A record that is not a resolved write: dead-lettered as it is. */
export interface Undecodable {
  readonly opId: string;
  readonly offset: bigint;
  readonly reason: 'undecodable_record';
}

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Decodes a record; the op id falls back to the `op_id` header, then to partition:offset. */
export function decodeRecord(record: ConsumedRecord, partition: number): ApplyOp | Undecodable {
  const offset = BigInt(record.offset);
  const fallbackId = record.headers.op_id ?? `${partition}:${record.offset}`;
  const bad: Undecodable = { opId: fallbackId, offset, reason: 'undecodable_record' };
  const raw = record.value?.toString('utf8');
  if (raw === undefined) return bad;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return bad;
  }
  if (typeof parsed !== 'object' || parsed === null) return bad;
  const { opId, action, index, id, routing } = parsed;
  if (!text(action) || !ACTIONS.has(action) || !text(index) || !text(id)) return bad;
  if (routing !== undefined && !text(routing)) return bad;
  const source = action === 'delete' ? null : (rawMember(raw, 'body') ?? null);
  if (action !== 'delete' && (source === null || source === 'null')) return bad;
  return {
    opId: text(opId) ? opId : fallbackId,
    offset,
    action: action as ApplyAction,
    index,
    id,
    ...(routing === undefined ? {} : { routing }),
    source,
  };
}
