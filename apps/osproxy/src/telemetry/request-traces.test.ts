import type { FinishedSpan } from '@flusso/app-kit';
import { describe, expect, it } from 'vitest';
import { RequestTraces } from './request-traces.js';

const TRACE = 'a'.repeat(32);

function traces(): { traces: RequestTraces; spans: FinishedSpan[] } {
  const spans: FinishedSpan[] = [];
  return { traces: new RequestTraces({ add: (s) => spans.push(s) }, () => 1_000), spans };
}

const request = (sampled: boolean) => ({
  trace: { traceId: TRACE, spanId: 'b'.repeat(16), sampled },
  parentSpanId: 'c'.repeat(16),
  startMs: 900,
  endpointKind: 'Search',
  method: 'POST',
  status: 200,
});

describe('RequestTraces', () => {
  it('exports a server span and its upstream calls beneath it for a sampled request', () => {
    const { traces: t, spans } = traces();
    t.open('r1', request(true).trace);
    t.upstream({
      requestId: 'r1',
      trace: { traceId: TRACE, spanId: 'd'.repeat(16), sampled: true },
      startMs: 950,
      operation: 'search',
      method: 'POST',
      status: 200,
    });
    t.finish('r1', request(true));
    expect(spans.map((s) => [s.name, s.kind, s.spanId, s.parentSpanId])).toEqual([
      ['upstream search', 3, 'd'.repeat(16), 'b'.repeat(16)],
      ['Search', 2, 'b'.repeat(16), 'c'.repeat(16)],
    ]);
  });

  it('exports nothing for a request the client did not sample', () => {
    const { traces: t, spans } = traces();
    t.open('r2', request(false).trace);
    t.upstream({
      requestId: 'r2',
      trace: { traceId: TRACE, spanId: 'd'.repeat(16), sampled: false },
      startMs: 950,
      operation: 'search',
      method: 'POST',
      status: 200,
    });
    t.finish('r2', request(false));
    expect(spans).toEqual([]);
  });
});
