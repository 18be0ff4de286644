// A forwarder in front of a cluster that holds the first request matching a
// predicate until the test releases it: two processes' steps interleaved on purpose.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  /** The forwarder's URL, to give the client whose request is held. */
  readonly url: string;
  /** Resolves when the matching request has arrived (and is being held). */
  readonly held: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function holdRequest(
  target: string,
  matches: (method: string, path: string) => boolean,
): Promise<HeldRequest> {
  const upstream = new URL(target);
  let arrived: () => void = () => undefined;
  const held = new Promise<void>((r) => {
    arrived = r;
  });
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let holding = true;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://forwarder').pathname;
    if (holding && matches(req.method ?? 'GET', path)) {
      holding = false;
      arrived();
      await released;
    }
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        ...(upstream.protocol === 'https:' ? { protocol: 'https:', rejectUnauthorized: false } : {}),
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    release,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
