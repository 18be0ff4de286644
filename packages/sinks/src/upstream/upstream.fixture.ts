// Test scaffolding for the upstream suites: loopback servers (HTTP/1.1, h2c, h2
// over TLS) that record what they received, a dead port, a stuck server, a
// self-signed certificate, and op builders.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2Server, createSecureServer, type Http2ServerRequest } from 'node:http2';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  childSpan,
  type Epoch,
  parseClusterId,
  parseEpoch,
  parseIndexName,
  parseTraceparent,
  type Target,
  type UpstreamEndpoint,
} from '@flusso/core';
import { type SelfSignedCert, selfSignedCert } from '@flusso/net-kit';
import type { UpstreamOpBase, WriteOp } from './contract.js';

/** What a server captured from one request. */
export interface Captured {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** CN of the client certificate, when one was presented over TLS. */
  readonly clientCn?: string;
}

export interface Reply {
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

type Request = IncomingMessage | Http2ServerRequest;
type Respond = (
  req: Request,
  res: ServerResponse | import('node:http2').Http2ServerResponse,
  body: string,
) => void;

export interface Recorder {
  readonly url: string;
  readonly requests: Captured[];
  /** TCP connections the server accepted. */
  accepts: number;
  close(): Promise<void>;
}

function headerRecord(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function cnOf(req: Request): string | undefined {
  const socket = req.socket as Socket | TLSSocket;
  if (!('getPeerCertificate' in socket)) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  return typeof cn === 'string' ? cn : undefined;
}

function replyWith(reply: Reply): Respond {
  return (_req, res) => {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body ?? '{}');
  };
}

function recordingHandler(recorder: { requests: Captured[] }, respond: Respond) {
  return (req: Request, res: ServerResponse | import('node:http2').Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const clientCn = cnOf(req);
      recorder.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: headerRecord(req),
        body,
        ...(clientCn === undefined ? {} : { clientCn }),
      });
      respond(req, res, body);
    });
  };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function tracked(server: Server, recorder: { accepts: number }): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    recorder.accepts += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** An HTTP/1.1 server recording every request; `reply` may be a function for custom behaviour. */
export async function startRecorder(reply: Reply | Respond = {}): Promise<Recorder> {
  const respond = typeof reply === 'function' ? reply : replyWith(reply);
  const state = { requests: [] as Captured[], accepts: 0 };
  const server = createServer(recordingHandler(state, respond));
  const sockets = tracked(server, state);
  const port = await listen(server);
  const close = closer(server, sockets);
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, close });
}

/** A cleartext HTTP/2 (prior knowledge) server. */
export async function startH2c(reply: Reply = {}): Promise<Recorder> {
  const state = { requests: [] as Captured[], accepts: 0 };
  const server = createH2Server(recordingHandler(state, replyWith(reply)));
  const sockets = tracked(server, state);
  const port = await listen(server);
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, close: closer(server, sockets) });
}

export type Cert = Pick<SelfSignedCert, 'cert' | 'key'>;

/** A self-signed certificate for `localhost` and `127.0.0.1`. */
export function selfSigned(cn = 'localhost'): Cert {
  return selfSignedCert(cn);
}

/** HTTP/2 over TLS (ALPN h2 only); requires a client certificate signed by `clientCa` when given. */
export async function startH2Tls(server: Cert, reply: Reply = {}, clientCa?: string): Promise<Recorder> {
  const state = { requests: [] as Captured[], accepts: 0 };
  const h2 = createSecureServer(
    {
      cert: server.cert,
      key: server.key,
      allowHTTP1: false,
      ...(clientCa === undefined ? {} : { ca: clientCa, requestCert: true, rejectUnauthorized: true }),
    },
    recordingHandler(state, replyWith(reply)),
  );
  const sockets = tracked(h2, state);
  const port = await listen(h2);
  return Object.assign(state, { url: `https://127.0.0.1:${port}`, close: closer(h2, sockets) });
}

/** A URL nothing listens on: every connection is refused. */
export async function deadUrl(): Promise<string> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that accepts connections and never answers. */
export async function startStuck(): Promise<{ url: string; close(): Promise<void> }> {
  const state = { accepts: 0 };
  const server = createNetServer(() => undefined);
  const sockets = tracked(server, state);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, close: closer(server, sockets) };
}

export const CLIENT_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
export const CLIENT_TRACESTATE = 'vendor1=abc,congo=t61rcWkgMzE';

export const cluster = parseClusterId;
export const epoch: Epoch = parseEpoch(1);

export function target(clusterId: string, index: string | undefined, endpoint?: UpstreamEndpoint): Target {
  return {
    cluster: parseClusterId(clusterId),
    ...(index === undefined ? {} : { index: parseIndexName(index) }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

export const h1 = (url: string): UpstreamEndpoint => ({ url, protocol: 'http1' });
export const h2 = (url: string): UpstreamEndpoint => ({ url, protocol: 'h2' });

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The common op fields: the proxy's child span of the client's trace, no query, no headers. */
export function base(t: Target, fields: Partial<UpstreamOpBase> & Pick<UpstreamOpBase, 'method' | 'path'>) {
  return {
    target: t,
    query: {},
    body: null,
    headers: {},
    trace: childSpan(parseTraceparent(CLIENT_TRACEPARENT, CLIENT_TRACESTATE)),
    requestId: 'req-42',
    ...fields,
  };
}

/** `PUT /{index}/_doc/{id}` as a write op. */
export function indexOp(t: Target, id: string, doc: unknown, routing?: string): WriteOp {
  return {
    kind: 'write',
    doc: { action: 'index', id, ...(routing === undefined ? {} : { routing }) },
    epoch,
    ...base(t, {
      method: 'PUT',
      path: `/${t.index ?? 'i'}/_doc/${id}`,
      query: routing === undefined ? {} : { routing },
      body: json(doc),
    }),
  };
}

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export { json };
