// The tenant port's request listener. Proxy traffic goes straight from Node's
// request to the handler and back to Node's response (no Web Request/Response in
// between, so bodies stream and HEAD answers status and headers only on a healthy
// keep-alive connection). Its only other path is the caller's own explain records.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExplainStore } from '../explain/explain-store.js';
import { type HandlerDeps, serveProxyRequest } from './proxy-handler.js';
import { isTenantExplainPath, serveTenantExplain } from './tenant-explain.js';

export type RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

function serve(deps: HandlerDeps, incoming: IncomingMessage, outgoing: ServerResponse): void {
  serveProxyRequest(deps, incoming, outgoing).catch((error: unknown) => {
    deps.logger.error({ err: { type: (error as Error).name } }, 'response not written');
    outgoing.destroy();
  });
}

export function tenantListener(
  deps: HandlerDeps & { readonly explain: ExplainStore | undefined },
): RequestListener {
  return (incoming, outgoing) => {
    if (deps.explain !== undefined && isTenantExplainPath(incoming.url ?? '/')) {
      serveTenantExplain(deps, incoming, outgoing);
      return;
    }
    // Begun at once, inside the parser's callback: a body that came with its headers then
    // arrives within the same poll event (`readBody`), and the upstream request undici
    // holds back for one check phase (its idle-socket validation) goes out in this loop
    // turn. Begun from an immediate, the handler saved the body listeners but cost undici
    // a whole further loop turn before it wrote (osproxy README, "Seventh round").
    serve(deps, incoming, outgoing);
  };
}
