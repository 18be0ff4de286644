// Builds `_bulk` NDJSON chunks bounded by item count and bytes, remembering which
// logical write each line belongs to so item results map back. Documents are
// serialised exactly: numbers keep the digits Postgres printed.

import type { BuiltDocument } from '@flusso/core';
import { stringifyExact } from '@flusso/core';

export interface BulkLine {
  readonly write: BuiltDocument;
  readonly text: string;
}

export interface BulkChunk {
  readonly lines: readonly BulkLine[];
  readonly body: string;
}

export function bulkLine(write: BuiltDocument, physicalIndex: string): BulkLine {
  const meta = JSON.stringify({ _index: physicalIndex, _id: write.id });
  // A version is a 64-bit integer: spelled out in decimal, never through a JS number.
  const versioned =
    write.version === undefined
      ? meta
      : `${meta.slice(0, -1)},"version":${write.version.toString()},"version_type":"external_gte"}`;
  const action = `{"${write.op === 'upsert' ? 'index' : 'delete'}":${versioned}}`;
  const text = write.op === 'upsert' ? `${action}\n${stringifyExact(write.document)}\n` : `${action}\n`;
  return { write, text };
}

export function chunkLines(lines: readonly BulkLine[], maxItems: number, maxBytes: number): BulkChunk[] {
  const chunks: BulkChunk[] = [];
  let current: BulkLine[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line.text);
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      chunks.push({ lines: current, body: current.map((l) => l.text).join('') });
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) chunks.push({ lines: current, body: current.map((l) => l.text).join('') });
  return chunks;
}
