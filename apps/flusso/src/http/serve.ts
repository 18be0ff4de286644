// Binds a hono app to an address ("host:port") with @hono/node-server.

import { type HostPort, parseHostPort } from '@flusso/app-kit';
import { FlussoError } from '@flusso/core';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface BoundServer {
  readonly url: string;
  close(): Promise<void>;
}

/** `host:port`; an empty host is loopback. Throws a `config_invalid` error naming `key`. */
export function parseAddress(address: string, key = 'address'): HostPort {
  return parseHostPort(address, key, '127.0.0.1');
}

export function bind(app: Hono, address: string): Promise<BoundServer> {
  const { host, port } = parseAddress(address);
  return new Promise((resolve, reject) => {
    let server: ServerType | null = null;
    server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server?.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', (error) =>
      reject(new FlussoError('config_invalid', `cannot listen on ${address}: ${error.message}`)),
    );
  });
}
