// Binding a listener: listen-or-fail and the URL it serves.
import type { AddressInfo, Server } from 'node:net';

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
