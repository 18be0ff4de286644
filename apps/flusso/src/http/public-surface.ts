// The public, read-only surface: /healthz, /readyz, /status, /metrics, and the
// live status page at / when a history is given. No auth.
import type { Status } from '@flusso/daemon';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { StatusHistory } from './status-page/status-history.js';
import { statusPageRoutes } from './status-page/status-page-routes.js';

export function publicSurface(
  status: () => Status | null,
  registry: Registry,
  history?: StatusHistory,
  /** Fields added beside the snapshot in `/status` (Kafka mode: role, offsets, LSNs). */
  details?: () => Readonly<Record<string, unknown>>,
): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/readyz', (c) => {
    const s = status();
    return s?.ready ? c.text('ready') : c.text('not ready', 503);
  });
  app.get('/status', (c) => {
    const s = status();
    if (!s) return c.json({ phase: 'starting' }, 503);
    return c.json(details ? { ...s.snapshot(), ...details() } : s.snapshot());
  });
  app.get('/metrics', async (c) =>
    c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }),
  );
  if (history) app.route('/', statusPageRoutes(history));
  return app;
}
