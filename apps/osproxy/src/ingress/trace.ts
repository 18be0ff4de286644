// The client's trace context from W3C `traceparent`/`tracestate` or B3; none when
// none is given or it does not parse (a bad header never fails a request).
import { isFlussoError, parseB3, parseTraceparent, type TraceContext } from '@flusso/core';

/** The client's context, or undefined when the request carried none that parses. */
export function ingressParent(headers: Readonly<Record<string, string>>): TraceContext | undefined {
  try {
    const traceparent = headers.traceparent;
    if (traceparent !== undefined) return parseTraceparent(traceparent, headers.tracestate);
    const b3 = headers.b3;
    if (b3 !== undefined) return parseB3(b3);
  } catch (error) {
    if (!isFlussoError(error)) throw error;
  }
  return undefined;
}
