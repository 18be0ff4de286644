// A reverse proxy between osproxy and its upstream that keeps the exact bytes
// of every request osproxy sent: the proof of what reached the cluster.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query string as osproxy sent them. */
  readonly url: string;
  /** The headers osproxy sent (names lower-case). */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RecordingUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Request bodies (as text) whose path contains `part`. */
  bodiesTo(part: string): string[];
  close(): Promise<void>;
}

/** Listens on a free loopback port and relays every request to `target` unchanged. */
export async function startRecordingUpstream(target: string): Promise<RecordingUpstream> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      const relay = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      relay.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      relay.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodiesTo: (part) => requests.filter((r) => r.url.includes(part)).map((r) => r.body.toString('utf8')),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
