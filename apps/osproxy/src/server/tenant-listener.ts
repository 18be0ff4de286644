// The tenant port's request listener. Proxy traffic goes straight from Node's
// request to the handler and back to Node's response (no Web Request/Response in
// between, so bodies stream and HEAD answers status and headers only on a healthy
// keep-alive connection); the few operational paths go to a small Hono app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { type HandlerDeps, handleProxyRequest } from './proxy-handler.js';
import { writeResponse } from './write-response.js';

export type RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

async function serveProxy(deps: HandlerDeps, incoming: IncomingMessage, outgoing: ServerResponse) {
  const out = await handleProxyRequest(deps, incoming);
  await writeResponse(outgoing, out, incoming.method === 'HEAD');
}

/** `operational` (may be undefined) serves the paths `isOperational` claims; the rest is proxied. */
export function tenantListener(
  deps: HandlerDeps & { readonly logger: Logger },
  operational: { app: Hono; isOperational: (path: string) => boolean } | undefined,
): RequestListener {
  const ops = operational === undefined ? undefined : getRequestListener(operational.app.fetch);
  return (incoming, outgoing) => {
    const path = (incoming.url ?? '/').split('?', 1)[0] ?? '/';
    const served =
      ops !== undefined && operational?.isOperational(path) === true
        ? ops(incoming, outgoing)
        : serveProxy(deps, incoming, outgoing);
    served.catch((error: unknown) => {
      deps.logger.error({ err: { type: (error as Error).name } }, 'response not written');
      outgoing.destroy();
    });
  };
}
