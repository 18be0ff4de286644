// One request through the emulated API without a socket: what the HTTP server
// does per request, reusable in-process by tests of code that speaks to
// OpenSearch through an interface rather than a URL.
import { OsError } from './errors.js';
import type { Faults } from './faults.js';
import { type Req, type Res, route } from './routes.js';
import type { Store } from './store.js';

export interface DispatchRequest {
  readonly method: string;
  /** Percent-encoded path, e.g. `/orders/_doc/acme%3A1`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly text: string;
}

export function dispatch(store: Store, faults: Faults, request: DispatchRequest): Res {
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  const req: Req = {
    method: request.method,
    parts,
    query: request.query,
    text: request.text,
    json: () => {
      try {
        return (request.text ? JSON.parse(request.text) : {}) as Record<string, unknown>;
      } catch {
        throw new OsError(400, 'parse_exception', 'request body is required / malformed JSON');
      }
    },
  };
  try {
    return route(store, req, faults);
  } catch (error) {
    const e = error instanceof OsError ? error : new OsError(500, 'exception', String(error));
    return { status: e.status, body: e.body() };
  }
}
