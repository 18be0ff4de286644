// A recording upstream: a tiny HTTP server in front of the emulator that keeps
// exactly what arrived (method, path, headers, body bytes) and relays it on.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrived {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RecordingRelay {
  readonly url: string;
  readonly arrived: Arrived[];
  close(): Promise<void>;
}

export async function startRecordingRelay(target: string): Promise<RecordingRelay> {
  const arrived: Arrived[] = [];
  const to = new URL(target);
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    arrived.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const headers = { ...req.headers, host: to.host, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
