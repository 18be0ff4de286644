// Building the upstream request from a resolved op: the path choke point (no `.`
// or `..` segment, even percent-encoded), the allow-listed query, and the headers
// (relayed client headers minus hop-by-hop/framing ones, the proxy's trace span,
// the request id, a default content type).
import { formatTraceparent } from '@flusso/core';
import type { UpstreamOp } from './contract.js';
import { UpstreamError } from './upstream-error.js';

/** What undici is asked to send. */
export interface UpstreamRequest {
  readonly method: string;
  /** Path plus `?query`, as it goes on the request line. */
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** Hop-by-hop and framing headers: never relayed, whatever the proxy left in. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
  'expect',
  'http2-settings',
  // Trace headers are rendered from `op.trace`, never copied from the client.
  'traceparent',
  'tracestate',
  'b3',
]);

function isDropped(name: string, connectionTokens: ReadonlySet<string>): boolean {
  return (
    DROPPED.has(name) ||
    name.startsWith('proxy-') ||
    name.startsWith('x-b3-') ||
    name.startsWith(':') ||
    connectionTokens.has(name)
  );
}

function malformed(reason: string): never {
  throw new UpstreamError('refused_request', `refused upstream path: ${reason}`, { context: { reason } });
}

/**
 * Refuse a path that is not absolute, carries a query/fragment/whitespace, or has
 * a `.`/`..` segment (also when percent-encoded, or hidden behind `%2F`/`\`).
 */
export function checkUpstreamPath(path: string): void {
  if (!path.startsWith('/')) malformed('not_absolute');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\s?#\u0000-\u001f\u007f]/.test(path)) malformed('invalid_character');
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      malformed('bad_percent_encoding');
    }
  }
  // Only a path with a `.` can have a dot segment.
  if (!decoded.includes('.')) return;
  for (const segment of decoded.split(/[/\\]/)) {
    if (segment === '.' || segment === '..') malformed('dot_segment');
  }
}

// Characters `URLSearchParams` writes as they are: a pair made only of these is `k=v` verbatim.
const VERBATIM = /^[A-Za-z0-9*._-]*$/;

/** `path?query` with the allow-listed parameters, in the op's order. */
export function requestPath(path: string, query: Readonly<Record<string, string>>): string {
  const entries = Object.entries(query);
  if (entries.length === 0) return path;
  let params = '';
  for (const [key, value] of entries) {
    if (!VERBATIM.test(key) || !VERBATIM.test(value)) {
      params = new URLSearchParams(entries).toString();
      break;
    }
    params += `${params === '' ? '' : '&'}${key}=${value}`;
  }
  return `${path}?${params}`;
}

function isNdjson(op: UpstreamOp): boolean {
  if (op.kind === 'bulk') return true;
  if (op.kind === 'search' && op.action === 'msearch') return true;
  // The path's last segment, read in place (no array of segments a request).
  const path = op.path;
  const last = path.lastIndexOf('/');
  return (
    (path.length - last === 6 && path.endsWith('/_bulk')) ||
    (path.length - last === 9 && path.endsWith('/_msearch'))
  );
}

/** Headers for `op`: relayed ones first, then trace, request id and default content type. */
const NO_TOKENS: ReadonlySet<string> = new Set();

export function requestHeaders(op: UpstreamOp, hasBody: boolean): Record<string, string> {
  // Read name by name (no array of pairs per request): the first `connection` names more to drop.
  const relayed = op.headers;
  const names = Object.keys(relayed);
  let connection = '';
  for (const name of names) {
    if (name.toLowerCase() === 'connection') {
      connection = relayed[name] ?? '';
      break;
    }
  }
  const tokens =
    connection === ''
      ? NO_TOKENS
      : new Set(
          connection
            .split(',')
            .map((t) => t.trim().toLowerCase())
            .filter((t) => t !== ''),
        );
  const headers: Record<string, string> = {};
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!isDropped(lower, tokens)) headers[lower] = relayed[name] as string;
  }
  // traceHeaders(op.trace), set in place (no object of its own a request).
  headers.traceparent = formatTraceparent(op.trace);
  if (op.trace.tracestate !== undefined) headers.tracestate = op.trace.tracestate;
  headers['x-request-id'] = op.requestId;
  if (hasBody && headers['content-type'] === undefined) {
    headers['content-type'] = isNdjson(op) ? 'application/x-ndjson' : 'application/json';
  }
  return headers;
}

/** The whole request for a buffered op (`streamed` for a body supplied as a stream). */
export function buildUpstreamRequest(op: UpstreamOp, streamed = false): UpstreamRequest {
  checkUpstreamPath(op.path);
  const hasBody = streamed ? op.method !== 'GET' && op.method !== 'HEAD' : (op.body?.byteLength ?? 0) > 0;
  return { method: op.method, path: requestPath(op.path, op.query), headers: requestHeaders(op, hasBody) };
}
