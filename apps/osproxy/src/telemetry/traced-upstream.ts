// The upstream, recording a client span per call for requests being traced. The
// span id is the one the call propagates in `traceparent`.
import type {
  CursorOp,
  ForwardOp,
  StreamedUpstreamResponse,
  Upstream,
  UpstreamOp,
  UpstreamResponse,
} from '@flusso/sinks';
import type { RequestTraces } from './request-traces.js';

function operationOf(op: UpstreamOp): string {
  return op.kind === 'forward' || op.kind === 'cursor' ? `${op.kind}.${op.action}` : op.kind;
}

async function traced<R extends { readonly status: number }>(
  traces: RequestTraces,
  op: UpstreamOp,
  call: () => Promise<R>,
): Promise<R> {
  const startMs = traces.time();
  const span = {
    requestId: op.requestId,
    trace: op.trace,
    startMs,
    operation: operationOf(op),
    method: op.method,
  };
  try {
    const response = await call();
    traces.upstream({ ...span, status: response.status });
    return response;
  } catch (error) {
    traces.upstream({ ...span, status: undefined });
    throw error;
  }
}

/** `upstream` with a client span per call; behaviour otherwise unchanged. */
export function tracedUpstream(upstream: Upstream, traces: RequestTraces): Upstream {
  return {
    write: (op) => traced(traces, op, () => upstream.write(op)),
    bulk: (op) => traced(traces, op, () => upstream.bulk(op)),
    read: (op) => traced(traces, op, () => upstream.read(op)),
    search: (op) => traced(traces, op, () => upstream.search(op)),
    cursor: (op: CursorOp): Promise<UpstreamResponse> => traced(traces, op, () => upstream.cursor(op)),
    forward: (op: ForwardOp): Promise<UpstreamResponse> => traced(traces, op, () => upstream.forward(op)),
    forwardStream: (op, body): Promise<StreamedUpstreamResponse> =>
      traced(traces, op, () => upstream.forwardStream(op, body)),
  };
}
