// The built osproxy and the OpenSearch emulator as their own processes, so the
// figures are theirs alone and the load driver does not share their event loop.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@flusso/net-kit';
import { cpuProfileFlags } from './cpu-profile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const osproxyBin = join(root, 'apps', 'osproxy', 'bin', 'osproxy.js');
const emulatorCli = join(root, 'tools', 'opensearch-emulator', 'dist', 'cli.js');

export interface Spawned {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function launch(
  what: string,
  args: string[],
  port: number,
  env: Record<string, string>,
): Promise<Spawned> {
  const proc = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore',
  });
  await waitForPort(port, { what, gaveUp: () => proc.exitCode !== null });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid ?? 0,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The fixed-reply upstream of static-upstream.ts. */
export async function spawnStaticUpstream(): Promise<Spawned> {
  const port = await freePort();
  return launch(
    'static upstream',
    [join(dirname(fileURLToPath(import.meta.url)), 'static-upstream.js'), String(port)],
    port,
    {},
  );
}

/** The bare Node forwarder of node-forwarder.ts, in front of `upstream`. */
export async function spawnNodeForwarder(upstream: string): Promise<Spawned> {
  const port = await freePort();
  const script = join(dirname(fileURLToPath(import.meta.url)), 'node-forwarder.js');
  return launch('node forwarder', [...cpuProfileFlags(), script, String(port), upstream], port, {});
}

export async function spawnEmulator(): Promise<Spawned> {
  const port = await freePort();
  return launch('emulator', [emulatorCli, '--port', String(port)], port, {});
}

/** osproxy as seed 002 runs it: open dev auth, cleartext mutations allowed. `bin`: another build's. */
export async function spawnOsproxy(
  upstream: string,
  extra: Record<string, string> = {},
  bin = osproxyBin,
): Promise<Spawned> {
  const port = await freePort();
  return launch('osproxy', [...cpuProfileFlags(), bin], port, {
    OSPROXY_BIND: `127.0.0.1:${port}`,
    // Metrics and explain live on the admin listener; its own free port, never a fixed one.
    OSPROXY_ADMIN_BIND: `127.0.0.1:${await freePort()}`,
    OSPROXY_UPSTREAM: upstream,
    OSPROXY_INDEX: 'osproxy-shared',
    OSPROXY_TOKENS: '',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: '1',
    OSPROXY_LOG_LEVEL: 'error',
    ...extra,
  });
}

/** `osproxy apply` on the async-write topic; ready once its admin listener (metrics) answers. */
export async function spawnOsproxyApply(
  upstream: string,
  kafka: { brokers: readonly string[]; topic: string },
): Promise<Spawned> {
  const port = await freePort();
  return launch('osproxy apply', [...cpuProfileFlags(), osproxyBin, 'apply'], port, {
    OSPROXY_APPLY_ADMIN_BIND: `127.0.0.1:${port}`,
    OSPROXY_UPSTREAM: upstream,
    OSPROXY_KAFKA_BROKERS: kafka.brokers.join(','),
    OSPROXY_KAFKA_TOPIC: kafka.topic,
    OSPROXY_LOG_LEVEL: 'error',
  });
}

/** Resident set of a process in MiB, from /proc/<pid>/statm (pages × page size). */
export function rssMiB(pid: number): number {
  const [, resident] = readFileSync(`/proc/${pid}/statm`, 'utf8').trim().split(/\s+/);
  return (Number(resident) * 4096) / (1024 * 1024);
}
