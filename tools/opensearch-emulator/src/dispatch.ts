// One request through the emulated API without a socket: what the HTTP server
// does per request, reusable in-process by tests of code that speaks to
// OpenSearch through an interface rather than a URL.
import { OsError } from './errors.js';
import type { Faults } from './faults.js';
import { parseLossless, stringifyLossless, toPlain } from './json/lossless.js';
import type { Req } from './req-res.js';
import { route } from './routes.js';
import type { Store } from './store.js';

export interface DispatchRequest {
  readonly method: string;
  /** Percent-encoded path, e.g. `/orders/_doc/acme%3A1`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly text: string;
}

export interface DispatchResponse {
  readonly status: number;
  /** The reply as sent on the wire (JSON keeps `_source` bytes as stored), or null for none. */
  readonly body: string | null;
  readonly contentType: string;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new OsError(400, 'illegal_argument_exception', `unable to decode path segment [${part}]`);
  }
}

function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    // Integers beyond 2^53 (an unsigned_long or long term, a search_after value) stay exact.
    v = toPlain(parseLossless(text));
  } catch {
    throw new OsError(400, 'parse_exception', 'request body is required / malformed JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new OsError(400, 'parse_exception', 'request body must be a JSON object');
  return v as Record<string, unknown>;
}

function reply(status: number, body: unknown): DispatchResponse {
  if (body === null || body === undefined)
    return { status, body: null, contentType: 'application/json; charset=UTF-8' };
  if (typeof body === 'string') return { status, body, contentType: 'text/plain; charset=UTF-8' };
  return { status, body: stringifyLossless(body), contentType: 'application/json; charset=UTF-8' };
}

export function dispatch(store: Store, faults: Faults, request: DispatchRequest): DispatchResponse {
  try {
    const parts = request.path.split('/').filter(Boolean).map(decode);
    const req: Req = {
      method: request.method,
      parts,
      query: request.query,
      text: request.text,
      faults,
      json: () => parseJson(request.text),
    };
    const out = route(store, req);
    return reply(out.status, out.body);
  } catch (error) {
    const e = error instanceof OsError ? error : new OsError(500, 'exception', String(error));
    return reply(e.status, e.body());
  }
}
