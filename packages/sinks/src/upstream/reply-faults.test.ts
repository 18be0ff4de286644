// UndiciUpstream against replies that break: a reply cut off mid-body (the connection
// reset after part of a declared or chunked body) is a retryable transport failure, never
// a truncated reply; a gzip'd reply is relayed as the bytes and encoding the cluster sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadOp } from './contract.js';
import { UndiciUpstream } from './undici-upstream.js';
import { base, h1, target } from './upstream.fixture.js';
import { UpstreamError } from './upstream-error.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function op(url: string): ReadOp {
  return {
    kind: 'read',
    action: 'get',
    ...base(target('eu-1', 'i', h1(url)), { method: 'GET', path: '/i/_doc/x' }),
  };
}

function upstream(): UndiciUpstream {
  const u = new UndiciUpstream({ timeoutMs: 5_000 });
  cleanups.push(() => u.close());
  return u;
}

describe('UndiciUpstream reply faults', () => {
  const cuts: [string, (res: import('node:http').ServerResponse) => void][] = [
    [
      'a declared content-length',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"_index":"i","_id":"x","found":true,');
        setTimeout(() => res.socket?.destroy(), 20);
      },
    ],
    [
      'a chunked body',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"_index":"i","_id":"x","found":true,');
        setTimeout(() => res.socket?.destroy(), 20);
      },
    ],
  ];
  for (const [what, cut] of cuts)
    it(`fails a reply reset mid-body (${what}) as a retryable transport failure`, async () => {
      const url = await serve((_req, res) => cut(res));
      const error = await upstream()
        .read(op(url))
        .then(
          (reply) => reply,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).retryable).toBe(true);
    });

  it("relays a gzip'd reply as the cluster sent it, with its content-encoding", async () => {
    const body = '{"_index":"i","_id":"x","found":true,"_source":{"n":12345678901234567890}}';
    const zipped = gzipSync(body);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(zipped);
    });
    const reply = await upstream().read(op(url));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(Buffer.from(reply.body).equals(zipped)).toBe(true);
  });
});
