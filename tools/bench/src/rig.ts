// What every benchmark runs on: a throw-away Postgres seeded with the demo store,
// a counting bulk endpoint in this process (delivery times) in front of the
// OpenSearch emulator (everything but `_bulk`), a config
// directory, and at most one flusso process. One rig is shared by the benchmarks
// of a run, so the backfill's result is the cdc benchmark's starting point.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { availableBinaries, createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { onCleanup } from './cleanup.js';
import { CountingBulkEndpoint } from './counting-bulk.js';
import { FlussoProcess, flussoRoot } from './flusso-process.js';
import { seedSql } from './seed.js';
import { until } from './until.js';

export interface RigOptions {
  readonly rows: number;
  /** Postgres major version; default 15 (its package ships pg_recvlogical), else the newest. */
  readonly pgVersion?: number;
}

const config = `on_error = "stop"
[source]
type = "postgres"
connection_url = { env = "DATABASE_URL" }
[sinks.primary]
type = "opensearch"
url = "http://127.0.0.1:1"
number_of_replicas = 0
refresh_interval = "1s"
[[index]]
name = "users"
schema = "users.schema.yml"
enabled = true
`;

export class Rig {
  flusso: FlussoProcess | null = null;
  /** Unique per run, so several runs can share one server through DATABASE_URL. */
  readonly slot = `bench_${Date.now().toString(36)}`;
  private ends = 0;

  private constructor(
    readonly rows: number,
    readonly db: TestDatabase,
    readonly emulator: Emulator,
    /** Where flusso writes: counts `_bulk` documents, relays the rest to the emulator. */
    readonly tap: CountingBulkEndpoint,
    readonly schemaFile: string,
    private readonly configFile: string,
  ) {}

  static async open(options: RigOptions): Promise<Rig> {
    const dir = mkdtempSync(join(tmpdir(), 'flusso-bench-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const schemaFile = join(dir, 'users.schema.yml');
    copyFileSync(join(flussoRoot, 'demo', 'users.schema.yml'), schemaFile);
    writeFileSync(join(dir, 'flusso.toml'), config);

    const has15 = availableBinaries().some((b) => b.version === 15);
    const version = options.pgVersion ?? (has15 ? 15 : undefined);
    const db = await createTestDatabase({
      ...(version === undefined ? {} : { version }),
      // Room for a 1M-change backlog without checkpoints getting in the way. Commits
      // flush WAL as production does: the harness's synchronous_commit = off lets a
      // commit wait up to wal_writer_delay (200 ms) before a walsender may send it,
      // which was most of the measured commit → bulk lag.
      settings: {
        shared_buffers: "'256MB'",
        max_wal_size: "'8GB'",
        checkpoint_timeout: "'30min'",
        synchronous_commit: 'on',
      },
    });
    onCleanup(() => db.close());
    const seedStart = performance.now();
    await db.sql(seedSql(options.rows));
    const seedSecs = (performance.now() - seedStart) / 1000;
    console.log(`seeded ${options.rows} users on PG ${db.version} in ${seedSecs.toFixed(1)} s`);

    const emulator = await startEmulator();
    onCleanup(() => emulator.close());
    // The emulator logs every request body for tests; a bench would hold GBs of them.
    const trim = setInterval(() => emulator.requests.splice(0), 1000);
    trim.unref();
    const tap = await CountingBulkEndpoint.start(emulator.url);
    onCleanup(() => tap.close());
    const rig = new Rig(options.rows, db, emulator, tap, schemaFile, join(dir, 'flusso.toml'));
    onCleanup(() => rig.stopFlusso());
    return rig;
  }

  /** The rig's config plus `extra` (TOML appended), as `flusso-<name>.toml` beside it. */
  configWith(name: string, extra: string): string {
    const file = join(dirname(this.configFile), `flusso-${name}.toml`);
    writeFileSync(file, `${config}${extra}`);
    return file;
  }

  async startFlusso(): Promise<FlussoProcess> {
    if (this.flusso) throw new Error('flusso is already running');
    this.flusso = await FlussoProcess.start({
      config: this.configFile,
      dbUrl: this.db.url,
      osUrl: this.tap.url,
      slot: this.slot,
      publication: this.slot,
    });
    return this.flusso;
  }

  async stopFlusso(): Promise<void> {
    await this.flusso?.stop();
    this.flusso = null;
  }

  /** Start flusso if needed and wait until it is live with every row indexed. */
  async ensureLive(): Promise<FlussoProcess> {
    const flusso = this.flusso ?? (await this.startFlusso());
    await until(
      'flusso live with every document indexed',
      async () => {
        const s = await flusso.status();
        return s?.phase === 'live' && s.indexes.users === 'seeded' && this.tap.count() >= this.rows
          ? s
          : undefined;
      },
      { guard: flusso.assertRunning, everyMs: 50 },
    );
    return flusso;
  }

  /**
   * Commit an end marker on row 1 (no workload touches it) and return a probe for
   * its delivery: flusso applies changes in commit order, so once the marker is in
   * the index, everything committed before it is too.
   */
  async commitEndMarker(label: string): Promise<() => number | undefined> {
    this.ends += 1;
    const marker = `end ${label} ${this.ends}`;
    const seen = this.tap.expect('1', marker);
    await this.db.sql(`UPDATE users SET full_name = '${marker}' WHERE id = 1`);
    return seen;
  }

  /** Wait (while flusso runs) for a probe from commitEndMarker; returns its delivery time. */
  delivered(probe: () => number | undefined, what: string): Promise<number> {
    const flusso = this.flusso;
    if (!flusso) throw new Error('flusso is not running');
    return until(what, probe, { guard: flusso.assertRunning });
  }

  /** The current WAL insert position: where a baseline reader has seen everything so far. */
  async walPosition(): Promise<string> {
    const [row] = await this.db.sql<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    if (!row) throw new Error('no WAL position');
    return row.lsn;
  }

  /** The postmaster's pid (its children are every backend), when the server is on this machine. */
  async postmasterPid(): Promise<number | undefined> {
    try {
      const [row] = await this.db.sql<{ dir: string }>('SELECT current_setting($1) AS dir', [
        'data_directory',
      ]);
      const pid = Number(readFileSync(join(row?.dir ?? '', 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined; // not a superuser, or another machine's server
    }
  }

  /** Where the pg_* client tools live (for pg_recvlogical). */
  binDir(): string | null {
    return this.db.cluster?.binDir ?? null;
  }
}
