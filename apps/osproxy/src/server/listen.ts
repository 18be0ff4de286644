// Binding a listener: `host:port` parsing, listen-or-fail, and the URL it serves.
import type { AddressInfo, Server } from 'node:net';
import { FlussoError } from '@flusso/core';

export function parseBind(bind: string, key = 'bind'): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(bind);
  if (m === null) throw new FlussoError('config_invalid', `${key}: expected host:port, got ${bind}`);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(m[2]) };
}

/** Listens on `bind`; resolves with the URL it serves. */
export function listen(
  server: Server,
  bind: { host: string; port: number },
  scheme: string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = bind.host.includes(':') ? `[${bind.host}]` : bind.host;
      resolve(`${scheme}://${host}:${port}`);
    });
  });
}
