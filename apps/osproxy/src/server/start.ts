// Listening (plain HTTP, TLS, or mutual TLS) and graceful drain: on stop, the
// listener closes, in-flight requests finish (up to a grace period), then the
// upstream pools close.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { FlussoError } from '@flusso/core';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { compose, readTls } from './compose.js';
import { createOperationalApp, isOperationalPath } from './proxy-app.js';
import { tenantListener } from './tenant-listener.js';

export interface RunningProxy {
  readonly url: string;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), close upstream pools. */
  stop(graceMs?: number): Promise<void>;
}

function parseBind(bind: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(bind);
  if (m === null) throw new FlussoError('config_invalid', `bind: expected host:port, got ${bind}`);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(m[2]) };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startProxy(settings: Settings, logger: Logger): Promise<RunningProxy> {
  const { host, port } = parseBind(settings.bind);
  const tls = readTls(settings);
  const { deps, upstream, queue, tenancyGate } = compose(settings, logger);
  await tenancyGate.start();
  const listener = tenantListener(deps, {
    app: createOperationalApp(deps),
    isOperational: isOperationalPath,
  });
  const server =
    tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
          },
          listener,
        );
  await listen(server, host, port);
  // In flight until the response is fully written, not merely produced.
  let inflight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inflight += 1;
    res.once('close', () => {
      inflight -= 1;
      if (inflight === 0) idle?.();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.info(
    { url, upstream: settings.upstream, index: settings.index, tls: tls !== undefined },
    'osproxy listening',
  );
  return {
    url,
    async stop(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
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
