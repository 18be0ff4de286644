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
  const action = { [write.op === 'upsert' ? 'index' : 'delete']: { _index: physicalIndex, _id: write.id } };
  const text =
    write.op === 'upsert'
      ? `${JSON.stringify(action)}\n${stringifyExact(write.document)}\n`
      : `${JSON.stringify(action)}\n`;
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
