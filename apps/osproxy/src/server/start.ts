// Listening — the tenant port (plain HTTP, TLS, or mutual TLS, with Node's header
// and request timeouts) and the admin listener — and graceful drain: on stop, the
// listeners close, in-flight requests finish (up to a grace period), then the
// upstream pools close.

import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { parseHostPort } from '@flusso/app-kit';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { RequestTraces } from '../telemetry/request-traces.js';
import { adminBindOf, startAdminListener } from './admin-listener.js';
import { compose, readTls } from './compose.js';
import { listen } from './listen.js';
import { type RequestListener, tenantListener } from './tenant-listener.js';

export interface RunningProxy {
  readonly url: string;
  /** The admin listener's URL (metrics, explain); undefined when `admin_bind` is `off`. */
  readonly adminUrl: string | undefined;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), close upstream pools. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Node's own read timeouts: headers within `bodyTimeoutMs` (else Node answers 408),
 * and a whole request within twice that (the handler's body deadline fires first).
 */
function readTimeouts(bodyTimeoutMs: number) {
  return {
    headersTimeout: bodyTimeoutMs,
    requestTimeout: bodyTimeoutMs * 2 + 1000,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(bodyTimeoutMs / 4))),
  };
}

/** The tenant port's server: plain HTTP, TLS, or mutual TLS when a client CA is given. */
function tenantServer(
  tls: ReturnType<typeof readTls>,
  timeouts: ReturnType<typeof readTimeouts>,
  listener: RequestListener,
) {
  if (tls === undefined) return createHttpServer(timeouts, listener);
  return createHttpsServer(
    {
      ...timeouts,
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
    },
    listener,
  );
}

export async function startProxy(
  settings: Settings,
  logger: Logger,
  traces?: RequestTraces,
): Promise<RunningProxy> {
  const bind = parseHostPort(settings.bind, 'bind');
  const adminBind = adminBindOf(settings.admin_bind, settings.admin_token, 'admin_bind');
  const tls = readTls(settings);
  const { deps, admin, upstream, queue, tenancyGate } = await compose(settings, logger, traces);
  await tenancyGate.start();
  const server = tenantServer(tls, readTimeouts(settings.body_timeout_ms), tenantListener(deps));
  const url = await listen(server, bind, tls === undefined ? 'http' : 'https');
  const { server: adminServer, url: adminUrl } = await startAdminListener(adminBind, admin);
  // In flight until the response is fully written, not merely produced.
  let inflight = 0;
  let idle: (() => void) | undefined;
  // One listener for every response ('close' fires once): no closure or once-wrapper a request.
  const closed = () => {
    inflight -= 1;
    if (inflight === 0) idle?.();
  };
  server.on('request', (_req, res) => {
    inflight += 1;
    res.on('close', closed);
  });
  logger.info(
    { url, adminUrl, upstream: settings.upstream, index: settings.index, tls: tls !== undefined },
    'osproxy listening',
  );
  return {
    url,
    adminUrl,
    async stop(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      adminServer?.close();
      adminServer?.closeAllConnections();
      const drained =
        inflight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              idle = resolve;
            });
      const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([drained, grace]);
      server.closeIdleConnections();
      server.closeAllConnections();
      await closed;
      await upstream.close();
      await queue?.close();
    },
  };
}
