// Explain on the tenant port: an authenticated principal reads the decision
// trace of its own requests only (by the request id the proxy returned), with no
// cluster or physical index. Anything else, including open dev mode, is 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenTable } from '../config/tokens.js';
import type { ExplainStore } from '../explain/explain-store.js';
import { authenticate } from '../ingress/authenticate.js';

const PREFIX = '/_osproxy/explain/';

export function isTenantExplainPath(path: string): boolean {
  return path.startsWith(PREFIX);
}

function reply(outgoing: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  outgoing.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  outgoing.end(body);
}

export function serveTenantExplain(
  deps: { readonly tokens: TokenTable; readonly explain: ExplainStore | undefined },
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): void {
  const path = (incoming.url ?? '/').split('?', 1)[0] ?? '/';
  let id: string;
  try {
    id = decodeURIComponent(path.slice(PREFIX.length));
  } catch {
    id = '';
  }
  const auth = authenticate(incoming.headers.authorization, deps.tokens);
  const principal = auth.ok ? auth.principal : null;
  const record =
    incoming.method === 'GET' && principal !== null
      ? deps.explain?.forPrincipal(id, principal.name, principal.tenant ?? undefined)
      : undefined;
  if (record === undefined) reply(outgoing, 404, { error: 'not_found', retryable: false });
  else reply(outgoing, 200, record);
}
