// The emulator's HTTP server: a real loopback listener speaking OpenSearch's REST
// wire format, with refresh timers, faults and a request log for tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type DispatchResponse, dispatch } from './dispatch.js';
import { OsError } from './errors.js';
import { Faults, type LoggedRequest } from './faults.js';
import { Store } from './store.js';

export interface EmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Periodic refresh per index.refresh_interval (default 1s); off = only explicit refreshes. */
  readonly autoRefresh?: boolean;
  /**
   * `http.max_content_length` in bytes (OpenSearch's default 100mb): a longer request body is
   * answered as Netty's aggregator does, 413 with an empty body, and the connection closed.
   */
  readonly maxContentLength?: number;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly faults: Faults;
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
}

function intervalMs(value: unknown): number {
  if (value === undefined) return 1000;
  const m = /^(-?\d+)(ms|s|m)?$/.exec(String(value));
  if (!m) return 1000;
  const n = Number(m[1]);
  return n < 0 ? -1 : n * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, out: DispatchResponse, head: boolean): void {
  const text = out.body ?? '';
  res.writeHead(out.status, { 'content-type': out.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const store = new Store();
  const faults = new Faults();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const lastRefresh = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const text = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, body: text });
    if (Buffer.byteLength(text) > (options.maxContentLength ?? 100 * 1024 * 1024)) {
      res.writeHead(413, { 'content-length': 0, connection: 'close' });
      res.end();
      return;
    }
    if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
    const injected = faults.takeFailure(url.pathname);
    if (injected !== null) {
      const type = injected === 429 ? 'es_rejected_execution_exception' : 'internal_server_error';
      const body = JSON.stringify(new OsError(injected, type, 'injected fault').body());
      return send(res, { status: injected, body, contentType: 'application/json; charset=UTF-8' }, false);
    }
    const out = dispatch(store, faults, {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      text,
    });
    send(res, out, req.method === 'HEAD');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const timer =
    options.autoRefresh === false
      ? null
      : setInterval(() => {
          const now = Date.now();
          for (const index of store.indexes.values()) {
            const every = intervalMs(index.settings.refresh_interval);
            if (every < 0) continue;
            if (now - (lastRefresh.get(index.name) ?? 0) >= every) {
              lastRefresh.set(index.name, now);
              store.refresh([index.name]);
            }
          }
        }, 100);
  timer?.unref();
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;
  faults.onRefuseChange = (refuse) => {
    if (refuse) {
      server.close();
      for (const s of sockets) s.destroy();
    } else server.listen(port, options.host ?? '127.0.0.1');
  };
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    store,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        for (const s of sockets) s.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
