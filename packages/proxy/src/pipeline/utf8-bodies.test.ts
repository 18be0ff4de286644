// Request bodies are UTF-8 (RFC 8259; OpenSearch refuses other bytes). Read with a
// replacing decoder, a document holding 0xFF 0xFE was stored with two U+FFFD in their
// place: accepted and altered where the cluster would have refused it. The class:
// every endpoint that reads a body refuses bytes that are not UTF-8 before dispatch,
// and well-formed multi-byte text still goes upstream byte for byte.
import { newTraceContext, type PartitionId, parsePartitionId } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../testing/proxy.fixture.js';

const principal = { id: 'app-acme', tenant: parsePartitionId('acme') as PartitionId };
const BAD: readonly [string, number[]][] = [
  ['0xFF 0xFE', [0xff, 0xfe]],
  ['a lone continuation byte', [0x80]],
  ['a truncated sequence', [0xe2, 0x82]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['a UTF-16 surrogate as UTF-8', [0xed, 0xa0, 0x80]],
];
// `X` marks where the bytes go.
const ENDPOINTS: readonly [string, string, string][] = [
  ['PUT', '/orders/_doc/1', '{"v":"X"}'],
  ['POST', '/orders/_doc', '{"v":"X"}'],
  ['POST', '/orders/_update/1', '{"doc":{"v":"X"}}'],
  ['POST', '/_bulk', '{"index":{"_index":"orders","_id":"1"}}\n{"v":"X"}\n'],
  ['POST', '/orders/_search', '{"query":{"term":{"v":"X"}}}'],
  ['POST', '/orders/_count', '{"query":{"term":{"v":"X"}}}'],
  ['POST', '/orders/_delete_by_query', '{"query":{"term":{"v":"X"}}}'],
  ['POST', '/_mget', '{"docs":[{"_index":"orders","_id":"X"}]}'],
  ['POST', '/_msearch', '{"index":"orders"}\n{"query":{"term":{"v":"X"}}}\n'],
];

function bytes(template: string, inner: number[]): Buffer {
  const [before, after] = template.split('X') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(inner), Buffer.from(after)]);
}

async function send(method: string, path: string, body: Buffer) {
  const h = harness();
  const r = await h.pipeline.handle({
    method,
    path,
    query: {},
    headers: {},
    body,
    requestId: 'r',
    trace: newTraceContext(),
    principal,
  });
  return { h, r };
}

describe('request bodies that are not UTF-8', () => {
  for (const [method, path, template] of ENDPOINTS) {
    for (const [what, inner] of BAD) {
      it(`${method} ${path} with ${what}: 400 before dispatch`, async () => {
        const { h, r } = await send(method, path, bytes(template, inner));
        expect(r.status).toBe(400);
        expect(JSON.parse(Buffer.from(r.body).toString())).toEqual({
          error: 'malformed_request',
          retryable: false,
        });
        expect(h.upstream.ops).toEqual([]);
      });
    }
  }

  it('sends well-formed multi-byte text upstream byte for byte', async () => {
    const inner = [...Buffer.from('é😀\u2028\u0085中')];
    const { h, r } = await send('PUT', '/orders/_doc/1', bytes('{"v":"X","n":1.0}', inner));
    expect(r.status).toBe(201);
    const sent = Buffer.from(h.upstream.ops.at(-1)?.body ?? new Uint8Array());
    expect(sent.equals(bytes('{"v":"X","n":1.0,"_tenant":"acme","_index_name":"orders"}', inner))).toBe(true);
  });
});
