// The admin listener (OSPROXY_ADMIN_BIND, loopback by default): Prometheus
// metrics and whole explain records, for operators. With OSPROXY_ADMIN_TOKEN set
// every request needs `Authorization: Bearer <token>`. Never on the tenant port.
// Two GET routes on node:http: a router framework here cost ~3 MiB of idle RSS
// (issue 15, `pnpm bench osproxy-footprint`).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseHostPort } from '@flusso/app-kit';
import { FlussoError } from '@flusso/core';
import type { ExplainStore } from '../explain/explain-store.js';
import type { ProxyMetrics } from '../telemetry/metrics.js';
import { listen } from './listen.js';

export interface AdminDeps {
  /** Whose registry `/metrics` renders (the proxy's, or the applier's). */
  readonly metrics: Pick<ProxyMetrics, 'registry'>;
  readonly explain: ExplainStore | undefined;
  /** Refreshes gauges read at scrape time (pool stats, breaker state). */
  readonly beforeScrape: () => void;
  readonly adminToken: string | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const EXPLAIN = '/_osproxy/explain/';

const digest = (value: string) => createHash('sha256').update(value).digest();

function tokenMatches(expected: Buffer, header: string | undefined): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match !== null && timingSafeEqual(expected, digest(match[1] ?? ''));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json', JSON.stringify(value));

/** The admin routes as a node:http request listener. */
export function adminRequestListener(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = deps.adminToken === undefined ? undefined : digest(deps.adminToken);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (expected !== undefined && !tokenMatches(expected, req.headers.authorization)) {
      return sendJson(res, 401, { error: 'auth_failed', retryable: false });
    }
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && path === '/metrics') {
      deps.beforeScrape();
      return send(res, 200, deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    }
    if (
      read &&
      path.startsWith(EXPLAIN) &&
      path.length > EXPLAIN.length &&
      !path.includes('/', EXPLAIN.length)
    ) {
      const record = deps.explain?.forOperator(decodeURIComponent(path.slice(EXPLAIN.length)));
      if (record !== undefined) return sendJson(res, 200, record);
    }
    sendJson(res, 404, { error: 'not_found', retryable: false });
  };
  return (req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', retryable: true });
      else res.destroy();
    });
  };
}

/**
 * The admin listener's address from its setting (`host:port`, or `off` for none). Beyond
 * loopback it needs a token: metrics and explain records are operator data.
 */
export function adminBindOf(
  setting: string,
  adminToken: string | undefined,
  name: string,
): { host: string; port: number } | undefined {
  if (setting === 'off') return undefined;
  const bind = parseHostPort(setting, name);
  if (!LOOPBACK.has(bind.host) && adminToken === undefined) {
    throw new FlussoError('config_invalid', `${name}: beyond loopback the admin listener needs admin_token`);
  }
  return bind;
}

/** Serves the admin routes on `bind` (none when undefined). */
export async function startAdminListener(
  bind: { host: string; port: number } | undefined,
  deps: AdminDeps,
): Promise<{ server: Server | undefined; url: string | undefined }> {
  if (bind === undefined) return { server: undefined, url: undefined };
  const server = createServer(adminRequestListener(deps));
  return { server, url: await listen(server, bind, 'http') };
}
