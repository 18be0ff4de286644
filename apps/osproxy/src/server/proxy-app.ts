// The HTTP surface: operational endpoints (`/metrics`, the explain lookup) and
// every other request through the proxy handler. Bodies the proxy must rewrite
// are read with a cap; passthrough bodies stream both ways.

import type { ExplainLog } from '@flusso/proxy';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import type { TokenTable } from '../config/tokens.js';
import { authenticate } from '../ingress/authenticate.js';
import { type HandlerDeps, handleProxyRequest } from './proxy-handler.js';
import { writeResponse } from './write-response.js';

export interface AppDeps extends HandlerDeps {
  readonly explain: ExplainLog | undefined;
  /** Refreshes gauges read at scrape time (pool stats, breaker state). */
  readonly beforeScrape: () => void;
}

function explainAllowed(
  tokens: TokenTable,
  header: string | undefined,
  partition: string | undefined,
): boolean {
  const auth = authenticate(header, tokens);
  if (!auth.ok) return false;
  // A tenant's token sees its own decisions only; operators and dev mode see all.
  return auth.principal === null || auth.principal.tenant === null || auth.principal.tenant === partition;
}

export function createProxyApp(deps: AppDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/metrics', async (c) => {
    deps.beforeScrape();
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'content-type': deps.metrics.registry.contentType,
    });
  });
  app.get('/_osproxy/explain/:requestId', (c) => {
    const record = deps.explain?.get(c.req.param('requestId'));
    if (
      record === undefined ||
      !explainAllowed(deps.tokens, c.req.header('authorization'), record.partition)
    ) {
      return c.json({ error: 'not_found', retryable: false }, 404);
    }
    return c.json(record);
  });
  // The hot path writes straight to Node's response: no Web Response in between.
  app.all('*', async (c) => {
    const { incoming, outgoing } = c.env;
    const out = await handleProxyRequest(deps, incoming);
    await writeResponse(outgoing, out, incoming.method === 'HEAD');
    return RESPONSE_ALREADY_SENT;
  });
  return app;
}
