// Request traces (shape only): one server span per client request, named for its
// endpoint kind and continuing the client's W3C trace, and one client span per
// upstream call beneath it. Attributes are kinds, methods, statuses and the
// proxy's own request id: never a path, index, query, header, token or body.
import type { FinishedSpan } from '@flusso/app-kit';
import type { TraceContext } from '@flusso/core';

export interface SpanSink {
  add(span: FinishedSpan): void;
}

/** What a finished client request contributes to its server span. */
export interface FinishedRequest {
  /** The proxy's own context (the trace id and span id it propagates upstream). */
  readonly trace: TraceContext;
  /** The client's span, when the request carried a trace context. */
  readonly parentSpanId: string | undefined;
  readonly startMs: number;
  readonly endpointKind: string;
  readonly method: string;
  readonly status: number;
}

/** What one upstream call contributes to its client span. */
export interface FinishedUpstreamCall {
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly startMs: number;
  readonly operation: string;
  readonly method: string;
  /** The upstream's status; undefined when the call failed without one. */
  readonly status: number | undefined;
}

export class RequestTraces {
  /** Request id → the server span id of a sampled request still in flight. */
  private readonly inFlight = new Map<string, string>();

  constructor(
    private readonly sink: SpanSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** Marks `requestId` in flight, so its upstream calls become child spans. */
  open(requestId: string, trace: TraceContext): void {
    if (trace.sampled) this.inFlight.set(requestId, trace.spanId);
  }

  /** Ends the server span of `requestId` (exported only when sampled). */
  finish(requestId: string, request: FinishedRequest): void {
    this.inFlight.delete(requestId);
    if (!request.trace.sampled) return;
    this.sink.add({
      traceId: request.trace.traceId,
      spanId: request.trace.spanId,
      ...(request.parentSpanId === undefined ? {} : { parentSpanId: request.parentSpanId }),
      kind: 2,
      name: request.endpointKind,
      startMs: request.startMs,
      endMs: this.now(),
      attributes: {
        'osproxy.endpoint_kind': request.endpointKind,
        'osproxy.request_id': requestId,
        'http.request.method': request.method,
        'http.response.status_code': request.status,
      },
      error: request.status >= 500,
    });
  }

  /** A client span for one upstream call of a sampled request in flight. */
  upstream(call: FinishedUpstreamCall): void {
    const parentSpanId = this.inFlight.get(call.requestId);
    if (parentSpanId === undefined) return;
    this.sink.add({
      traceId: call.trace.traceId,
      spanId: call.trace.spanId,
      parentSpanId,
      kind: 3,
      name: `upstream ${call.operation}`,
      startMs: call.startMs,
      endMs: this.now(),
      attributes: {
        'osproxy.upstream_operation': call.operation,
        'http.request.method': call.method,
        ...(call.status === undefined ? {} : { 'http.response.status_code': call.status }),
      },
      error: call.status === undefined || call.status >= 500,
    });
  }

  /** The wall clock, for span starts. */
  time(): number {
    return this.now();
  }
}
