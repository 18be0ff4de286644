import { describe, expect, it } from 'vitest';
import { childSpan, formatTraceparent, parseB3, parseTraceparent, traceHeaders } from './trace-context.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('parses a traceparent and prints it back', () => {
    const ctx = parseTraceparent(TP);
    expect(ctx).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(formatTraceparent(ctx)).toBe(TP);
  });

  it('makes a child with the same trace id, a new span id and tracestate verbatim', () => {
    const parent = parseTraceparent(TP, 'vendor=a,other=b');
    const child = childSpan(parent);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.spanId).not.toBe(parent.spanId);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(traceHeaders(child)).toEqual({
      traceparent: formatTraceparent(child),
      tracestate: 'vendor=a,other=b',
    });
  });

  it('rejects malformed and all-zero contexts', () => {
    for (const bad of [
      '',
      'garbage',
      `ff${TP.slice(2)}`,
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      TP.toUpperCase(),
    ]) {
      expect(() => parseTraceparent(bad), bad).toThrowError(
        expect.objectContaining({ code: 'invalid_trace_context' }),
      );
    }
  });

  it('accepts B3 single headers, padding 64-bit trace ids', () => {
    expect(parseB3('a3ce929d0e0e4736-00f067aa0ba902b7-1')).toEqual({
      traceId: '0000000000000000a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
  });
});
