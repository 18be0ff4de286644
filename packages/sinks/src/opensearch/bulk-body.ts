// Builds `_bulk` NDJSON chunks bounded by item count and bytes, remembering which
// logical write each line belongs to so item results map back. Documents are
// serialised exactly: numbers keep the digits Postgres printed.

import type { BuiltDocument } from '@flusso/core';
import { rememberedDocumentText, stringifyExact } from '@flusso/core';

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
  if (write.op === 'delete') return { write, text: `${action}\n` };
  // A document the builder wrote as text goes as that text (never parsed here).
  const document = rememberedDocumentText(write) ?? stringifyExact(write.document);
  return { write, text: `${action}\n${document}\n` };
}

export function chunkLines(lines: readonly BulkLine[], maxItems: number, maxBytes: number): BulkChunk[] {
  const chunks: BulkChunk[] = [];
  let current: BulkLine[] = [];
  // A UTF-16 code unit is at most 3 bytes of UTF-8: while 3 × the chunk's length fits,
  // so do its bytes, and they are only counted once that bound passes maxBytes.
  let bound = 0;
  let bytes: number | null = null;
  const close = () => {
    chunks.push({ lines: current, body: current.map((l) => l.text).join('') });
    current = [];
    bound = 0;
    bytes = null;
  };
  for (const line of lines) {
    if (current.length > 0 && current.length >= maxItems) close();
    const upper = line.text.length * 3;
    if (bytes === null && bound + upper <= maxBytes) {
      current.push(line);
      bound += upper;
      continue;
    }
    bytes ??= current.reduce((sum, l) => sum + Buffer.byteLength(l.text), 0);
    const size = Buffer.byteLength(line.text);
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
