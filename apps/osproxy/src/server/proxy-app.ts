// The operational endpoints (`/metrics`, the explain lookup) as a Hono app.
import type { ExplainLog } from '@flusso/proxy';
import { Hono } from 'hono';
import type { TokenTable } from '../config/tokens.js';
import { authenticate } from '../ingress/authenticate.js';
import type { HandlerDeps } from './proxy-handler.js';

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

export function isOperationalPath(path: string): boolean {
  return path === '/metrics' || path.startsWith('/_osproxy/');
}

export function createOperationalApp(deps: AppDeps): Hono {
  const app = new Hono();
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
  return app;
}
