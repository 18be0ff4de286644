// Builds `_bulk` NDJSON chunks bounded by item count and bytes, remembering which
// logical write each line belongs to so item results map back. Documents are
// serialised exactly: numbers keep the digits Postgres printed. A chunk's body is
// encoded once, line part by line part, into one Buffer: no joined string to build
// and then encode again on the socket.

import type { BuiltDocument } from '@flusso/core';
import { rememberedDocumentText, stringifyExact } from '@flusso/core';

export interface BulkLine {
  readonly write: BuiltDocument;
  /** The physical `_id` the action line names (checked against its item in the reply). */
  readonly id: string;
  /** The action line, newline included. */
  readonly action: string;
  /** The source line, newline excluded (written after the action); null for a delete. */
  readonly source: string | null;
  /** Written through a generation's write alias, which must exist (see `guardedLine`). */
  readonly guarded?: boolean;
}

/** The reply items a line gets: a guarded delete has its probe before it. */
export function itemCount(line: BulkLine): number {
  return line.guarded && line.write.op === 'delete' ? 2 : 1;
}

export interface BulkChunk {
  readonly lines: readonly BulkLine[];
  readonly body: Buffer;
}

/** The line's NDJSON text (action and source). */
export function lineText(line: BulkLine): string {
  return line.source === null ? line.action : `${line.action}${line.source}\n`;
}

/** Upper bound of the line's UTF-8 bytes (a UTF-16 code unit is at most 3 bytes). */
function boundOf(line: BulkLine): number {
  return (line.action.length + (line.source === null ? 0 : line.source.length + 1)) * 3;
}

function bytesOf(line: BulkLine): number {
  return Buffer.byteLength(line.action) + (line.source === null ? 0 : Buffer.byteLength(line.source) + 1);
}

/** The NDJSON body of `lines`, encoded into one Buffer. */
export function encodeLines(lines: readonly BulkLine[]): Buffer {
  let bound = 0;
  for (const line of lines) bound += boundOf(line);
  const body = Buffer.allocUnsafe(bound);
  let at = 0;
  for (const line of lines) {
    at += body.write(line.action, at);
    if (line.source !== null) {
      at += body.write(line.source, at);
      body[at++] = 0x0a;
    }
  }
  return body.subarray(0, at);
}

/**
 * The action line of a write (`index` or `delete`) with its metadata (`_index`, `_id`,
 * routing), carrying the write's external version when it has one (`external_gte`: an
 * older build never overwrites a newer one).
 */
export function actionLine(
  op: BuiltDocument['op'],
  meta: {
    readonly _index: string;
    readonly _id: string;
    readonly routing?: string;
    readonly require_alias?: boolean;
  },
  version: bigint | undefined,
): string {
  const json = JSON.stringify(meta);
  // A version is a 64-bit integer: spelled out in decimal, never through a JS number.
  const versioned =
    version === undefined
      ? json
      : `${json.slice(0, -1)},"version":${version.toString()},"version_type":"external_gte"}`;
  return `{"${op === 'upsert' ? 'index' : 'delete'}":${versioned}}\n`;
}

export function bulkLine(write: BuiltDocument, physicalIndex: string): BulkLine {
  const action = actionLine(write.op, { _index: physicalIndex, _id: write.id }, write.version);
  if (write.op === 'delete') return { write, id: write.id, action, source: null };
  // A document the builder wrote as text goes as that text (never parsed here).
  return {
    write,
    id: write.id,
    action,
    source: rememberedDocumentText(write) ?? stringifyExact(write.document),
  };
}

/**
 * A write through a generation's write alias, which must never create an index (the
 * generation may have been dropped since the write was built). An `index` action says so
 * itself (`require_alias`). A delete has no such flag and, externally versioned, makes
 * OpenSearch create a missing index for its tombstone; so it goes after a no-op
 * `update` of the same document that requires the alias: `TransportBulkAction` OR-s the
 * flag over every action of a `_bulk` naming a target before it creates any index. The
 * probe changes nothing (an empty partial document is a noop; a missing one a 404).
 */
export function guardedLine(write: BuiltDocument, writeAlias: string): BulkLine {
  const meta = { _index: writeAlias, _id: write.id, require_alias: true };
  if (write.op === 'upsert') {
    const line = bulkLine(write, writeAlias);
    return { ...line, action: actionLine('upsert', meta, write.version), guarded: true };
  }
  const probe = `{"update":${JSON.stringify(meta)}}\n{"doc":{}}\n`;
  const action = `${probe}${actionLine('delete', { _index: writeAlias, _id: write.id }, write.version)}`;
  return { write, id: write.id, action, source: null, guarded: true };
}

export function chunkLines(lines: readonly BulkLine[], maxItems: number, maxBytes: number): BulkChunk[] {
  const chunks: BulkChunk[] = [];
  let current: BulkLine[] = [];
  // A UTF-16 code unit is at most 3 bytes of UTF-8: while 3 × the chunk's length fits,
  // so do its bytes, and they are only counted once that bound passes maxBytes.
  let bound = 0;
  let bytes: number | null = null;
  const close = () => {
    chunks.push({ lines: current, body: encodeLines(current) });
    current = [];
    bound = 0;
    bytes = null;
  };
  for (const line of lines) {
    if (current.length > 0 && current.length >= maxItems) close();
    const upper = boundOf(line);
    if (bytes === null && bound + upper <= maxBytes) {
      current.push(line);
      bound += upper;
      continue;
    }
    bytes ??= current.reduce((sum, l) => sum + bytesOf(l), 0);
    const size = bytesOf(line);
    if (current.length > 0 && bytes + size > maxBytes) {
      close();
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) close();
  return chunks;
}
