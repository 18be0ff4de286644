// The tenant port's request listener. Proxy traffic goes straight from Node's
// request to the handler and back to Node's response (no Web Request/Response in
// between, so bodies stream and HEAD answers status and headers only on a healthy
// keep-alive connection). Its only other path is the caller's own explain records.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExplainStore } from '../explain/explain-store.js';
import { type HandlerDeps, serveProxyRequest } from './proxy-handler.js';
import { isTenantExplainPath, serveTenantExplain } from './tenant-explain.js';

export type RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/** Requests begun and not yet answered, across the listener: whether the proxy is idle. */
class Activity {
  active = 0;
  readonly done = (): void => {
    this.active -= 1;
  };
}

function serve(
  deps: HandlerDeps,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  activity: Activity,
): void {
  serveProxyRequest(deps, incoming, outgoing).then(activity.done, (error: unknown) => {
    activity.done();
    deps.logger.error({ err: { type: (error as Error).name } }, 'response not written');
    outgoing.destroy();
  });
}

export function tenantListener(
  deps: HandlerDeps & { readonly explain: ExplainStore | undefined },
): RequestListener {
  const activity = new Activity();
  return (incoming, outgoing) => {
    if (deps.explain !== undefined && isTenantExplainPath(incoming.url ?? '/')) {
      serveTenantExplain(deps, incoming, outgoing);
      return;
    }
    // An idle proxy begins a request at once, inside the parser's callback: its body then
    // arrives within the same poll event (`readBody`), and the upstream request undici holds
    // back for one check phase (its idle-socket validation) goes out in this loop turn.
    // A busy one begins it from an immediate: requests that arrived together are handled
    // together, and a body that came with its headers is whole by then and taken without
    // listeners (CPU per request, which bounds throughput under load; osproxy README,
    // "Seventh round").
    activity.active += 1;
    if (activity.active === 1) serve(deps, incoming, outgoing, activity);
    else setImmediate(serve, deps, incoming, outgoing, activity);
  };
}
