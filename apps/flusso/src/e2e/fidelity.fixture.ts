// One index over one root table, synced by the built binary: a fresh Postgres
// with the given settings and seed, the emulator, and the helpers the fidelity
// tests share (start live, compare every document with what the SQL builds).
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { expect } from 'vitest';
import {
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

export interface FidelityRig {
  readonly db: TestDatabase;
  /** The emulator's URL (read documents back with `indexDocs`). */
  readonly osUrl: string;
  /** Starts the binary and waits until it is live with nothing in flight. */
  startLive(): Promise<RunningFlusso>;
  /**
   * Waits until every document (ids included) equals what the SQL builds in flusso's
   * session (`expectedDocs`); returns how many there are.
   */
  indexEqualsSql(what: string): Promise<number>;
  /** SIGKILLs every process started, then (with `end`) drops the emulator and the database. */
  cleanup(end?: boolean): Promise<void>;
}

export async function fidelityRig(options: {
  version?: number;
  /** postgresql.conf settings of the throw-away server. */
  settings?: Readonly<Record<string, string>>;
  /** `ALTER DATABASE … SET` settings every new session of the database inherits (flusso's too). */
  databaseSettings?: Readonly<Record<string, string>>;
  seed: string;
  schema: string;
  index: string;
}): Promise<FidelityRig> {
  const db = await createTestDatabase({
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const name = new URL(db.url).pathname.slice(1);
  for (const [setting, value] of Object.entries(options.databaseSettings ?? {}))
    await db.sql(`ALTER DATABASE "${name}" SET ${setting} = '${value.replaceAll("'", "''")}'`);
  await db.sql(options.seed);
  const emu: Emulator = await startEmulator();
  const { config, dir } = writeConfig('', options.schema, options.index);
  const schemaFile = join(dir, `${options.index}.schema.yml`);
  let running: RunningFlusso[] = [];
  return {
    db,
    osUrl: emu.url,
    async startLive() {
      const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
      running.push(f);
      const live = (s: Record<string, unknown> | null) => s?.phase === 'live' && s.changes_in_flight === 0;
      await waitFor('live', () => f.status(), live, 60_000);
      return f;
    },
    async indexEqualsSql(what) {
      const root = { index: options.index, table: options.index };
      const expected = await expectedDocs(db.url, schemaFile, root);
      // Documents in any order: the index lists them as written, the SQL as the heap holds them.
      const same = (d: Record<string, unknown>) => isDeepStrictEqual(d, expected);
      const docs = await waitFor(what, () => indexDocs(emu.url, options.index), same, 60_000).catch(() =>
        indexDocs(emu.url, options.index),
      );
      expect(docs).toEqual(expected);
      return Object.keys(expected).length;
    },
    async cleanup(end = false) {
      for (const r of running) r.proc.kill('SIGKILL');
      await Promise.all(running.map((r) => r.exited));
      running = [];
      if (end) {
        await emu.close();
        await db.close();
      }
    },
  };
}
