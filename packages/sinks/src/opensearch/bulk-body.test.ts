import { type DocumentId, type IndexName, RawNumber } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { bulkLine, chunkLines, lineText } from './bulk-body.js';

describe('bulk body', () => {
  it('writes exact numbers as Postgres printed them', () => {
    const line = bulkLine(
      {
        op: 'upsert',
        index: 'vals' as IndexName,
        id: '9007199254740993' as DocumentId,
        document: { big: new RawNumber('9007199254740993'), dec: new RawNumber('0.1000000000000000000001') },
      },
      'flusso_vals_1',
    );
    expect(lineText(line)).toBe(
      '{"index":{"_index":"flusso_vals_1","_id":"9007199254740993"}}\n{"big":9007199254740993,"dec":0.1000000000000000000001}\n',
    );
  });

  it('cuts chunks by item count and by UTF-8 bytes, never splitting a line', () => {
    const line = (id: string, name: string) =>
      bulkLine({ op: 'upsert', index: 'u' as IndexName, id: id as DocumentId, document: { name } }, 'u_1');
    const lines = ['a', 'ééééé', 'b', 'c', '€€€€€€€€', 'd'].map((n, i) => line(String(i), n));
    const sizes = lines.map((l) => Buffer.byteLength(lineText(l)));
    const cut = (maxItems: number, maxBytes: number) =>
      chunkLines(lines, maxItems, maxBytes).map((c) => c.lines.map((l) => l.write.id).join(''));
    expect(cut(4, 10_000)).toEqual(['0123', '45']);
    const two = (sizes[0] ?? 0) + (sizes[1] ?? 0);
    expect(cut(100, two)[0]).toBe('01');
    for (const maxBytes of [1, two, two + 1, 200, 300, 10_000]) {
      const chunks = chunkLines(lines, 3, maxBytes);
      expect(chunks.flatMap((c) => c.lines)).toEqual(lines);
      for (const c of chunks) {
        expect(c.body.toString()).toBe(c.lines.map(lineText).join(''));
        expect(c.lines.length).toBeLessThanOrEqual(3);
        if (c.lines.length > 1) expect(c.body.length).toBeLessThanOrEqual(maxBytes);
      }
      // Greedy: the next chunk's first line would not have fitted in this one.
      chunks.slice(1).forEach((c, i) => {
        const prev = chunks[i];
        const first = c.lines[0];
        if (!prev || !first || prev.lines.length >= 3) return;
        expect(prev.body.length + Buffer.byteLength(lineText(first))).toBeGreaterThan(maxBytes);
      });
    }
  });
});
