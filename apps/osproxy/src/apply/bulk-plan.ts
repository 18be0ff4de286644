// One attempt's `_bulk` body for a batch of writes, in record order, and how each
// item's result reads: applied, a conflict (already applied or superseded),
// rejected (the cluster refuses it: mapping error and the like), or transient.
import type { ApplyOp } from './apply-op.js';
import { createSuperseded, externalVersion, updateSuperseded } from './version-rule.js';

export type ItemResult =
  | { readonly kind: 'applied' }
  | { readonly kind: 'conflict'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'transient'; readonly reason: string };

/** The documents whose current version an attempt must read first (`create`, `update`). */
export function needsVersion(op: ApplyOp): boolean {
  return op.action === 'create' || op.action === 'update';
}

/** What the version rule decides before sending: `send`, or a conflict naming why. */
export function preflight(op: ApplyOp, current: bigint | undefined): ItemResult | 'send' {
  if (op.action === 'update' && updateSuperseded(op.offset, current)) {
    return { kind: 'conflict', reason: 'superseded' };
  }
  if (op.action === 'create' && createSuperseded(current)) {
    return { kind: 'conflict', reason: 'document_exists' };
  }
  return 'send';
}

// Numbers above 2^53 cannot ride JSON.stringify: the meta line is spelled by hand.
function metaLine(action: string, op: ApplyOp, version: bigint | undefined): string {
  const fields = [`"_index":${JSON.stringify(op.index)}`, `"_id":${JSON.stringify(op.id)}`];
  if (op.routing !== undefined) fields.push(`"routing":${JSON.stringify(op.routing)}`);
  if (version !== undefined) fields.push(`"version":${version}`, '"version_type":"external"');
  return `{"${action}":{${fields.join(',')}}}`;
}

// A JSON text has no raw line break inside a string, so any it has is whitespace.
const oneLine = (source: string): string => source.replace(/[\r\n]+/g, ' ');

/** The NDJSON lines of one op: `create` goes as a versioned `index` (its preflight passed). */
export function bulkLines(op: ApplyOp): string {
  switch (op.action) {
    case 'delete':
      return `${metaLine('delete', op, externalVersion(op.offset))}\n`;
    case 'update':
      return `${metaLine('update', op, undefined)}\n${oneLine(op.source ?? '{}')}\n`;
    default:
      return `${metaLine('index', op, externalVersion(op.offset))}\n${oneLine(op.source ?? '{}')}\n`;
  }
}

interface BulkItem {
  readonly status?: number;
  readonly error?: { readonly type?: string };
}

/** Reads one `_bulk` response item for `op` (its action key varies: `index` for a create). */
export function classifyItem(op: ApplyOp, wrapper: Record<string, BulkItem> | undefined): ItemResult {
  const item = wrapper === undefined ? undefined : Object.values(wrapper)[0];
  const status = item?.status ?? 0;
  const reason = item?.error?.type ?? `status_${status}`;
  if (status >= 200 && status < 300) return { kind: 'applied' };
  // Deleting an absent document leaves it absent, as asked.
  if (op.action === 'delete' && status === 404 && item?.error === undefined) return { kind: 'applied' };
  if (status === 409) return { kind: 'conflict', reason };
  if (status === 429 || status >= 500 || status === 0) return { kind: 'transient', reason };
  return { kind: 'rejected', reason };
}

/** The `_mget` body reading the current version of each op's document (no source). */
export function versionQuery(ops: readonly ApplyOp[]): string {
  const docs = ops.map((op) => ({
    _index: op.index,
    _id: op.id,
    ...(op.routing === undefined ? {} : { routing: op.routing }),
    _source: false,
  }));
  return JSON.stringify({ docs });
}
