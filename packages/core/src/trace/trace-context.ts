// W3C trace context: parse an incoming `traceparent` (or B3), make a child span
// with the same trace id and our own span id, and render headers to propagate.
import { FlussoError } from '../errors/flusso-error.js';

export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  /** Passed on verbatim; never parsed or rewritten. */
  readonly tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

// Ids are minted on every proxied request: draw them from a pooled block of
// random bytes rather than a system call each.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let offset = 0;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  const hex = Buffer.from(pool.buffer, pool.byteOffset + offset, bytes).toString('hex');
  offset += bytes;
  return hex;
}

function invalid(reason: string): never {
  throw new FlussoError('invalid_trace_context', `invalid traceparent: ${reason}`);
}

/** Parse a `traceparent` header; throws `invalid_trace_context` on bad input. */
export function parseTraceparent(header: string, tracestate?: string): TraceContext {
  const match = TRACEPARENT.exec(header.trim());
  if (!match) invalid('expected version-traceid-spanid-flags in lowercase hex');
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff') invalid('version ff is forbidden');
  if (version === '00' && rest !== undefined) invalid('version 00 has exactly four fields');
  if (traceId === ZERO_TRACE) invalid('all-zero trace id');
  if (spanId === ZERO_SPAN) invalid('all-zero parent id');
  const ctx = { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
  return tracestate === undefined ? ctx : { ...ctx, tracestate };
}

/** Parse B3 single-header (`b3: traceid-spanid[-sampled]`); 64-bit trace ids are left-padded. */
export function parseB3(header: string): TraceContext {
  const parts = header.trim().toLowerCase().split('-');
  const [traceId, spanId, sampled] = parts;
  if (
    !traceId ||
    !spanId ||
    !/^[0-9a-f]{16}([0-9a-f]{16})?$/.test(traceId) ||
    !/^[0-9a-f]{16}$/.test(spanId)
  ) {
    throw new FlussoError('invalid_trace_context', 'invalid b3 header');
  }
  return { traceId: traceId.padStart(32, '0'), spanId, sampled: sampled === '1' || sampled === 'd' };
}

/** A fresh root context, for requests that arrive without one. */
export function newTraceContext(sampled = true): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), sampled };
}

/** The same trace, a new span id of our own, tracestate carried verbatim. */
export function childSpan(parent: TraceContext): TraceContext {
  return { ...parent, spanId: randomHex(8) };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}

/** Headers to send downstream for this context. */
export function traceHeaders(ctx: TraceContext): Record<string, string> {
  const headers: Record<string, string> = { traceparent: formatTraceparent(ctx) };
  if (ctx.tracestate !== undefined) headers.tracestate = ctx.tracestate;
  return headers;
}
