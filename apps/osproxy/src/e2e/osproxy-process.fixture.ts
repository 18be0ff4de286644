// Spawns the built osproxy binary in front of an upstream and speaks to it as an
// application would. Each proxy gets its own port and environment.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'osproxy.js');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningProxy {
  readonly url: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
  stop(): Promise<number | null>;
}

export async function startProxy(env: Record<string, string>): Promise<RunningProxy> {
  const port = await freePort();
  let err = '';
  const proc = spawn(process.execPath, [bin], {
    env: {
      PATH: process.env.PATH ?? '',
      OSPROXY_BIND: `127.0.0.1:${port}`,
      OSPROXY_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const scheme = env.OSPROXY_TLS_CERT === undefined ? 'http' : 'https';
  const url = `${scheme}://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`osproxy did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    proc,
    exited,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

export interface Cert {
  readonly cert: string;
  readonly key: string;
  readonly certPath: string;
  readonly keyPath: string;
}

const certDirs: string[] = [];
process.once('exit', () => {
  for (const dir of certDirs) rmSync(dir, { recursive: true, force: true });
});

/** A self-signed certificate for 127.0.0.1 (via the openssl CLI), kept on disk for the proxy to read. */
export function selfSigned(): Cert {
  const dir = mkdtempSync(join(tmpdir(), 'osproxy-tls-'));
  certDirs.push(dir);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const run = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  if (run.status !== 0) throw new Error(`openssl failed: ${run.stderr}`);
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
}

export async function json(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> | null }> {
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}
