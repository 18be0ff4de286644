// Spawns the built osproxy binary in front of an upstream and speaks to it as an
// application would. Each proxy gets its own port and environment.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@flusso/net-kit';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'osproxy.js');

export interface RunningProxy {
  readonly url: string;
  /** The admin listener (metrics, operator explain), on its own free port. */
  readonly adminUrl: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
  stop(): Promise<number | null>;
}

export async function startProxy(env: Record<string, string>): Promise<RunningProxy> {
  const port = await freePort();
  const adminPort = await freePort();
  let err = '';
  const proc = spawn(process.execPath, [bin], {
    env: {
      PATH: process.env.PATH ?? '',
      OSPROXY_BIND: `127.0.0.1:${port}`,
      OSPROXY_ADMIN_BIND: `127.0.0.1:${adminPort}`,
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
  await waitForPort(port, {
    what: `osproxy (${err})`,
    timeoutMs: 10_000,
    gaveUp: () => proc.exitCode !== null,
  });
  if (env.OSPROXY_ADMIN_BIND === undefined) {
    await waitForPort(adminPort, {
      what: 'osproxy admin',
      timeoutMs: 10_000,
      gaveUp: () => proc.exitCode !== null,
    });
  }
  return {
    url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    proc,
    exited,
    stderr: () => err,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs the binary until it exits on its own (a refusal at start): its exit code and stderr. */
export function runProxyToExit(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', OSPROXY_ADMIN_BIND: 'off', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
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

/** One unlabelled gauge or counter from the admin listener's `/metrics`. */
export async function metricValue(adminUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.slice(name.length + 1));
}

/** Polls `/metrics` until `name` satisfies `ok` (an awaited signal, not a sleep), or fails after `timeoutMs`. */
export async function untilMetric(
  adminUrl: string,
  name: string,
  ok: (value: number) => boolean,
  timeoutMs = 5_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const value = await metricValue(adminUrl, name);
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${name} stayed at ${value}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
