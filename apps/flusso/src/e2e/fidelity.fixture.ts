// One index over one root table, synced by the built binary: a fresh Postgres
// with the given settings and seed, the emulator, and the helpers the fidelity
// tests share (start live, compare every document with what the SQL builds).
import { join } from 'node:path';
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
  /** Starts the binary and waits until it is live with nothing in flight. */
  startLive(): Promise<RunningFlusso>;
  /** Waits until every document equals what the SQL builds; returns how many there are. */
  indexEqualsSql(what: string): Promise<number>;
  /** SIGKILLs every process started, then (with `end`) drops the emulator and the database. */
  cleanup(end?: boolean): Promise<void>;
}

export async function fidelityRig(options: {
  version: number;
  settings: Readonly<Record<string, string>>;
  seed: string;
  schema: string;
  index: string;
}): Promise<FidelityRig> {
  const db = await createTestDatabase({ version: options.version, settings: options.settings });
  await db.sql(options.seed);
  const emu: Emulator = await startEmulator();
  const { config, dir } = writeConfig('', options.schema, options.index);
  const schemaFile = join(dir, `${options.index}.schema.yml`);
  let running: RunningFlusso[] = [];
  return {
    db,
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
      const same = (d: Record<string, unknown>) => JSON.stringify(d) === JSON.stringify(expected);
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
