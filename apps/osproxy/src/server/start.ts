// Listening (plain HTTP, TLS, or mutual TLS) and graceful drain: on stop, the
// listener closes, in-flight requests finish (up to a grace period), then the
// upstream pools close.
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FlussoError } from '@flusso/core';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { compose, readTls } from './compose.js';
import { createProxyApp } from './proxy-app.js';

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

export async function startProxy(settings: Settings, logger: Logger): Promise<RunningProxy> {
  const { host, port } = parseBind(settings.bind);
  const tls = readTls(settings);
  const { deps, upstream, queue, tenancyGate } = compose(settings, logger);
  await tenancyGate.start();
  const app = createProxyApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: host,
        port,
        ...(tls === undefined
          ? {}
          : {
              createServer: createHttpsServer,
              serverOptions: {
                cert: tls.cert,
                key: tls.key,
                ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
              },
            }),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  // In flight until the response is fully written, not merely produced.
  let inflight = 0;
  let idle: (() => void) | undefined;
  server.on('request', (_req: unknown, res: { once(event: 'close', listener: () => void): void }) => {
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
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await upstream.close();
      await queue?.close();
    },
  };
}
