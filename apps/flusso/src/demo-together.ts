// `pnpm demo` (flusso + osproxy): the demo store split between two organisations,
// the emulator, flusso writing the users index in osproxy's layout, and osproxy
// in front of the emulator with one token per organisation. Prints what to try.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from '@flusso/net-kit';

const here = dirname(fileURLToPath(import.meta.url));
export const demoDir = join(here, '..', 'demo');
export const togetherDir = join(demoDir, 'together');
const osproxyBin = join(here, '..', '..', 'osproxy', 'bin', 'osproxy.js');

/** One bearer token per organisation (`OSPROXY_TOKENS`: token=principal:tenant). */
export const demoTokens = { 'org-a': 'token-a', 'org-b': 'token-b' } as const;

export function demoTokensEnv(): string {
  return Object.entries(demoTokens)
    .map(([tenant, token]) => `${token}=app-${tenant}:${tenant}`)
    .join(',');
}

/** The store: seed.sql, then organisations.sql (org_id on users, odd ids org-a, even org-b). */
export function togetherSeed(): string {
  return [join(demoDir, 'seed.sql'), join(togetherDir, 'organisations.sql')]
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

export interface DemoPorts {
  readonly flussoPublic: number;
  readonly flussoPrivate: number;
  readonly proxy: number;
  readonly proxyAdmin: number;
}

export async function demoPorts(): Promise<DemoPorts> {
  return {
    flussoPublic: await freePort(),
    flussoPrivate: await freePort(),
    proxy: await freePort(),
    proxyAdmin: await freePort(),
  };
}

/** osproxy in front of `upstream`, reads only over plain HTTP (no cleartext mutations). */
export async function spawnOsproxy(upstream: string, ports: DemoPorts): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [osproxyBin], {
    env: {
      PATH: process.env.PATH ?? '',
      OSPROXY_BIND: `127.0.0.1:${ports.proxy}`,
      OSPROXY_ADMIN_BIND: `127.0.0.1:${ports.proxyAdmin}`,
      OSPROXY_UPSTREAM: upstream,
      OSPROXY_INDEX: 'osproxy-shared',
      OSPROXY_TOKENS: demoTokensEnv(),
      OSPROXY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(ports.proxy, {
    what: 'osproxy',
    timeoutMs: 15_000,
    gaveUp: () => proc.exitCode !== null,
  });
  return proc;
}

/** What to try, in another terminal. */
export function togetherInstructions(dbUrl: string, ports: DemoPorts): string {
  const psql = `psql "${dbUrl}"`;
  const proxy = `http://127.0.0.1:${ports.proxy}`;
  const search = (token: string) =>
    `curl -s '${proxy}/users/_search' -H 'authorization: Bearer ${token}' -H 'content-type: application/json' -d '{"query":{"match":{"fullName":"lovelace"}}}'`;
  return [
    '',
    'flusso + osproxy demo is starting (organisations org-a: odd user ids, org-b: even). Try, in another terminal:',
    `  ${psql} -c "UPDATE users SET full_name = 'Ada Lovelace' WHERE id = 1"   # user 1 is in org-a`,
    `  ${search(demoTokens['org-a'])}   # org-a's token: the hit`,
    `  ${search(demoTokens['org-b'])}   # org-b's token: no hits`,
    `  curl -s '${proxy}/users/_doc/1' -H 'authorization: Bearer ${demoTokens['org-b']}'   # 404: another tenant's id`,
    `  ${psql} -c "UPDATE users SET org_id = 'org-b' WHERE id = 1"   # user 1 and its orders move to org-b`,
    `  curl -s '${proxy}/orders/_doc/1' -H 'authorization: Bearer ${demoTokens['org-b']}'   # orders: a second logical index, same shared index`,
    `  curl -s http://127.0.0.1:${ports.flussoPublic}/status`,
    'Ctrl-C stops flusso, osproxy, Postgres and the emulator, and removes their data.',
    '',
  ].join('\n');
}

export function demoUsage(): string {
  return [
    'usage: pnpm demo [--flusso-only]',
    '  (default)      Postgres (two organisations), the emulator, flusso in the osproxy layout, and osproxy',
    '                 with one token per organisation (token-a, token-b); config: demo/together/flusso.toml',
    '  --flusso-only  Postgres, the emulator and flusso alone (demo/flusso.toml)',
    '',
  ].join('\n');
}
