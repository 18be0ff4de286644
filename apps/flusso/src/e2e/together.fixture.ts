// flusso + osproxy together: the built osproxy binary in front of the emulator
// flusso writes to (osproxy layout), and what each tenant sees through it
// compared with what the SQL says that tenant's documents are.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExactObject, tenantOfDocument } from '@flusso/core';
import { freePort, waitForPort } from '@flusso/net-kit';
import { afterAll } from 'vitest';
import { type DemoRig, useDemoRig } from './demo-rig.fixture.js';
import { demoDir, expectedDocs } from './flusso-process.fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const osproxyBin = join(here, '..', '..', '..', 'osproxy', 'bin', 'osproxy.js');
export const togetherDir = join(demoDir, 'together');
export const TENANT_TOKENS = { 'org-a': 'token-a', 'org-b': 'token-b' } as const;

/** The demo store split between two organisations. */
export function togetherSql(): string {
  return [
    readFileSync(join(demoDir, 'seed.sql'), 'utf8'),
    readFileSync(join(togetherDir, 'organisations.sql'), 'utf8'),
  ].join('\n');
}

export interface TogetherRig extends DemoRig {
  /** The built osproxy in front of the rig's emulator; killed after the file. */
  startProxy(): Promise<RunningOsproxy>;
}

/** The demo rig on the two-tenant seed, for files whose tests build on each other. */
export function useTogetherRig(): TogetherRig {
  const rig = useDemoRig(undefined, { seedSql: togetherSql, keepRunning: true });
  const proxies: RunningOsproxy[] = [];
  afterAll(async () => {
    for (const p of proxies.splice(0)) {
      p.proc.kill('SIGKILL');
      await p.exited;
    }
  });
  return {
    get db() {
      return rig.db;
    },
    get emu() {
      return rig.emu;
    },
    start: (config) => rig.start(config),
    async startProxy() {
      const p = await startOsproxy(rig.emu.url);
      proxies.push(p);
      return p;
    },
  };
}

export interface RunningOsproxy {
  readonly url: string;
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

export async function startOsproxy(upstream: string, index = 'osproxy-shared'): Promise<RunningOsproxy> {
  const port = await freePort();
  const admin = await freePort();
  let err = '';
  const proc = spawn(process.execPath, [osproxyBin], {
    env: {
      PATH: process.env.PATH ?? '',
      OSPROXY_BIND: `127.0.0.1:${port}`,
      OSPROXY_ADMIN_BIND: `127.0.0.1:${admin}`,
      OSPROXY_UPSTREAM: upstream,
      OSPROXY_INDEX: index,
      OSPROXY_TOKENS: Object.entries(TENANT_TOKENS)
        .map(([tenant, token]) => `${token}=app-${tenant}:${tenant}`)
        .join(','),
      OSPROXY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  await waitForPort(port, { what: 'osproxy', timeoutMs: 10_000, gaveUp: () => proc.exitCode !== null });
  return { url: `http://127.0.0.1:${port}`, proc, exited, stderr: () => err };
}

/** Every document of a logical index one tenant sees through osproxy (logical id → source). */
export async function tenantView(
  proxyUrl: string,
  token: string,
  index = 'users',
): Promise<Record<string, unknown>> {
  const res = await fetch(`${proxyUrl}/${index}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ size: 10_000, query: { match_all: {} } }),
  });
  const body = (await res.json()) as { hits?: { hits: { _id: string; _source: unknown }[] } };
  return Object.fromEntries((body.hits?.hits ?? []).map((h) => [h._id, h._source]));
}

/** One tenant's documents as the SQL says they are, as osproxy shows them (injected fields stripped). */
export async function tenantTruth(
  dbUrl: string,
  tenant: string,
  index = 'users',
): Promise<Record<string, unknown>> {
  const all = await expectedDocs(dbUrl, join(togetherDir, `${index}.schema.yml`), { index, table: index });
  const mine: Record<string, unknown> = {};
  for (const [id, doc] of Object.entries(all)) {
    const { _tenant, ...rest } = doc as ExactObject;
    if (tenantOfDocument(doc as ExactObject) === tenant) mine[id] = rest;
  }
  return mine;
}

/** The status of one logical id fetched by a tenant through osproxy. */
export async function tenantGet(
  proxyUrl: string,
  token: string,
  id: string,
  index = 'users',
): Promise<number> {
  const res = await fetch(`${proxyUrl}/${index}/_doc/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status;
}
