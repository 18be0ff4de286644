import { newTraceContext, parseClusterId } from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchOp } from './contract.js';
import { UpstreamError } from './upstream-error.js';
import { buildUpstreamRequest, checkUpstreamPath, requestPath } from './upstream-request.js';

function refusal(path: string): string | undefined {
  try {
    checkUpstreamPath(path);
    return undefined;
  } catch (error) {
    return error instanceof UpstreamError ? `${error.code}:${error.context.reason}` : 'other';
  }
}

describe('upstream request building', () => {
  it('accepts ordinary encoded paths', () => {
    for (const path of ['/', '/orders/_doc/acme:1', '/orders/_doc/a%2Fb', '/orders/_doc/..a', '/x/.../y']) {
      expect(refusal(path), path).toBeUndefined();
    }
  });

  it('refuses dot segments however they are spelled, and paths that are not a plain absolute path', () => {
    expect(refusal('/a/../b')).toBe('refused_request:dot_segment');
    expect(refusal('/a/%2E%2e/b')).toBe('refused_request:dot_segment');
    expect(refusal('/a/.')).toBe('refused_request:dot_segment');
    expect(refusal('/a%2F..%2Fb')).toBe('refused_request:dot_segment');
    expect(refusal('/a/..%5Cb')).toBe('refused_request:dot_segment');
    expect(refusal('a/b')).toBe('refused_request:not_absolute');
    expect(refusal('/a?b=1')).toBe('refused_request:invalid_character');
    expect(refusal('/a b')).toBe('refused_request:invalid_character');
    expect(refusal('/a%zz')).toBe('refused_request:bad_percent_encoding');
  });

  it('encodes the query and defaults an msearch body to NDJSON', () => {
    const op: SearchOp = {
      kind: 'search',
      action: 'msearch',
      target: { cluster: parseClusterId('eu-1') },
      method: 'POST',
      path: '/orders/_msearch',
      query: { routing: 'a b&c', scroll: '1m' },
      body: new TextEncoder().encode('{}\n{}\n'),
      headers: { 'Proxy-Connection': 'keep-alive', 'X-B3-TraceId': 'abc' },
      trace: newTraceContext(),
      requestId: 'r1',
    };
    const request = buildUpstreamRequest(op);
    expect(request.path).toBe('/orders/_msearch?routing=a+b%26c&scroll=1m');
    expect(request.headers).toEqual({
      traceparent: expect.stringMatching(/^00-/),
      'x-request-id': 'r1',
      'content-type': 'application/x-ndjson',
    });
  });

  it("writes any query exactly as URLSearchParams does, in the op's order", () => {
    const text = fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9*._-]{0,12}$/));
    fc.assert(
      fc.property(fc.dictionary(text, text), (query) => {
        const params = new URLSearchParams(Object.entries(query)).toString();
        expect(requestPath('/i/_search', query)).toBe(
          Object.keys(query).length === 0 ? '/i/_search' : `/i/_search?${params}`,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
