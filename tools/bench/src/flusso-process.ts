// The built flusso binary as a child process, the way an operator runs it:
// `flusso run --config ...`, read through /status, memory read from /proc.

import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from '@flusso/net-kit';
import { cpuProfileFlags } from './cpu-profile.js';
import { RssSampler } from './rss.js';

/** apps/flusso, found through the workspace dependency (dist/main.js → package root). */
export const flussoRoot = dirname(dirname(createRequire(import.meta.url).resolve('@flusso/cli')));

export interface FlussoStatus {
  readonly phase: string;
  readonly indexes: Record<string, string>;
  readonly changes_committed: number;
  readonly batches?: number;
  readonly documents_built?: number;
  readonly errors: number;
  readonly last_error: string | null;
}

export interface FlussoOptions {
  readonly config: string;
  readonly dbUrl: string;
  readonly osUrl: string;
  readonly slot: string;
  readonly publication: string;
  /** More `flusso run` flags, e.g. `['--role', 'worker']`. */
  readonly extraArgs?: readonly string[];
}

export class FlussoProcess {
  readonly rss: RssSampler;
  private stderr = '';
  private readonly exit: Promise<number | null>;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly publicUrl: string,
  ) {
    this.rss = new RssSampler(proc.pid ?? 0);
    // Keep only the tail: enough to explain a crash, bounded under a long run.
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    this.exit = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  static async start(o: FlussoOptions): Promise<FlussoProcess> {
    const [pub, priv] = [await freePort(), await freePort()];
    const args = [join(flussoRoot, 'bin', 'flusso.js'), 'run', '--config', o.config];
    args.push('--public-address', `127.0.0.1:${pub}`, '--private-address', `127.0.0.1:${priv}`);
    args.push('--admin-password', 'pw', '--slot', o.slot, '--publication', o.publication);
    args.push('--log-level', 'warn', '--lag-poll-secs', '1', ...(o.extraArgs ?? []));
    const proc = spawn(process.execPath, [...cpuProfileFlags(), ...args], {
      env: { ...process.env, DATABASE_URL: o.dbUrl, PRIMARY_OPENSEARCH_URL: o.osUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new FlussoProcess(proc, `http://127.0.0.1:${pub}`);
  }

  get pid(): number {
    return this.proc.pid ?? 0;
  }

  /** Throws (with flusso's last log lines) once the process has exited. */
  assertRunning = (): void => {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null)
      throw new Error(`flusso exited (${this.proc.exitCode ?? this.proc.signalCode}):\n${this.stderr}`);
  };

  async status(): Promise<FlussoStatus | undefined> {
    try {
      const res = await fetch(`${this.publicUrl}/status`);
      return res.ok ? ((await res.json()) as FlussoStatus) : undefined;
    } catch {
      return undefined; // not listening yet
    }
  }

  /** SIGTERM (flusso confirms what it delivered and exits), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.rss.stop();
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const killer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.exit;
    clearTimeout(killer);
  }
}
