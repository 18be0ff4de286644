// The admin listener (OSPROXY_ADMIN_BIND, loopback by default): Prometheus
// metrics and whole explain records, for operators. With OSPROXY_ADMIN_TOKEN set
// every request needs `Authorization: Bearer <token>`. Never on the tenant port.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { ExplainStore } from '../explain/explain-store.js';
import type { ProxyMetrics } from '../telemetry/metrics.js';

export interface AdminDeps {
  /** Whose registry `/metrics` renders (the proxy's, or the applier's). */
  readonly metrics: Pick<ProxyMetrics, 'registry'>;
  readonly explain: ExplainStore | undefined;
  /** Refreshes gauges read at scrape time (pool stats, breaker state). */
  readonly beforeScrape: () => void;
  readonly adminToken: string | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function tokenMatches(expected: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match !== null && timingSafeEqual(expected, digest(match[1] ?? ''));
}

export function createAdminApp(deps: AdminDeps): Hono {
  const app = new Hono();
  const expected = deps.adminToken === undefined ? undefined : digest(deps.adminToken);
  app.use('*', async (c, next) => {
    if (expected !== undefined && !tokenMatches(expected, c.req.header('authorization'))) {
      return c.json({ error: 'auth_failed', retryable: false }, 401);
    }
    await next();
  });
  app.get('/metrics', async (c) => {
    deps.beforeScrape();
    return c.body(await deps.metrics.registry.metrics(), 200, {
      'content-type': deps.metrics.registry.contentType,
    });
  });
  app.get('/_osproxy/explain/:requestId', (c) => {
    const record = deps.explain?.forOperator(c.req.param('requestId'));
    return record === undefined ? c.json({ error: 'not_found', retryable: false }, 404) : c.json(record);
  });
  return app;
}
