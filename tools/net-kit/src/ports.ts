// Ports on the loopback interface: one that is free now, and waiting until a
// server (usually a spawned process) accepts connections on one.
import { connect, createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves once 127.0.0.1:`port` accepts a connection; rejects after `timeoutMs`
 * or as soon as `gaveUp()` says the server will not come (e.g. its process exited).
 */
export async function waitForPort(
  port: number,
  options: { what: string; timeoutMs?: number; gaveUp?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (await accepts(port)) return;
    if (options.gaveUp?.() === true) throw new Error(`${options.what} exited before listening on ${port}`);
    if (Date.now() > deadline) throw new Error(`${options.what} did not listen on ${port} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
