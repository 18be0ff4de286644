import { PassThrough } from 'node:stream';
import { type DocumentId, type IndexName, parseExactJson } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { StdoutSink } from './stdout-sink.js';

const users = 'users' as IndexName;
const id = (s: string) => s as DocumentId;

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { out, text: () => text };
}

describe('StdoutSink', () => {
  it('prints one NDJSON envelope per write at flush, with increasing seq', async () => {
    const { out, text } = capture();
    const sink = new StdoutSink({ name: 'audit', out, clock: new ManualClock(0) });
    sink.write({ op: 'upsert', index: users, id: id('1'), document: { name: 'Ada' } });
    sink.write({ op: 'delete', index: users, id: id('2') });
    expect(text()).toBe('');
    const report = await sink.flush(true);
    expect(report).toEqual({ written: 2, rejections: [] });
    const lines = text()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        op: 'upsert',
        id: '1',
        index: 'users',
        document: { name: 'Ada' },
        sink: 'audit',
        ts: '1970-01-01T00:00:00.000Z',
        seq: 1,
      },
      { op: 'delete', id: '2', index: 'users', sink: 'audit', ts: '1970-01-01T00:00:00.000Z', seq: 2 },
    ]);
  });

  it('pretty-prints envelopes when asked', async () => {
    const { out, text } = capture();
    const sink = new StdoutSink({ pretty: true, out });
    sink.write({ op: 'delete', index: users, id: id('9') });
    await sink.flush(false);
    expect(text()).toContain('\n  "op": "delete",\n');
  });

  it('reports unseeded so each run re-seeds it', async () => {
    expect(await new StdoutSink({ out: new PassThrough() }).isSeeded(users)).toBe(false);
  });

  it('writes numbers with every digit Postgres printed, byte for byte', async () => {
    const { out, text } = capture();
    const sink = new StdoutSink({ name: 'audit', out, clock: new ManualClock(0) });
    const document = parseExactJson(
      '{"n":12345678901234567890.1234567891,"i":9007199254740993,"a":[1.50,null]}',
    );
    sink.write({ op: 'upsert', index: users, id: id('1'), document: document as never });
    await sink.flush(true);
    expect(text()).toBe(
      '{"op":"upsert","id":"1","index":"users","document":{"n":12345678901234567890.1234567891,"i":9007199254740993,"a":[1.50,null]},"sink":"audit","ts":"1970-01-01T00:00:00.000Z","seq":1}\n',
    );
  });
});
