// The rig most flusso e2e files share: a throw-away Postgres seeded with the demo
// store (or another seed) plus optional SQL, the emulator, and `start` for the built
// binary; every process a test started is SIGKILLed after it (or, with
// `keepRunning`, after the file), the rig closed after the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { demoDir, type RunningFlusso, startFlusso } from './flusso-process.fixture.js';

export interface DemoRig {
  readonly db: TestDatabase;
  readonly emu: Emulator;
  /** The built binary on `config` against this rig (plus `extra` flags); killed after the test. */
  start(config: string, extra?: string[]): Promise<RunningFlusso>;
}

export interface RigOptions {
  /** The seed instead of the demo store's `seed.sql`. */
  readonly seedSql?: () => string;
  /** For files whose tests build on each other: kill started binaries after the file, not after each test. */
  readonly keepRunning?: boolean;
}

export function useDemoRig(extraSql?: string, options: RigOptions = {}): DemoRig {
  let db: TestDatabase | undefined;
  let emu: Emulator | undefined;
  const running: RunningFlusso[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql(options.seedSql?.() ?? readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
    if (extraSql !== undefined) await db.sql(extraSql);
    emu = await startEmulator();
  }, 60_000);
  const killStarted = async () => {
    for (const r of running.splice(0)) {
      r.proc.kill('SIGKILL');
      await r.exited;
    }
  };
  afterAll(async () => {
    await killStarted();
    await emu?.close();
    await db?.close();
  });
  if (options.keepRunning !== true) afterEach(killStarted);
  const rig: DemoRig = {
    get db() {
      if (db === undefined) throw new Error('the rig starts in beforeAll');
      return db;
    },
    get emu() {
      if (emu === undefined) throw new Error('the rig starts in beforeAll');
      return emu;
    },
    async start(config, extra) {
      const f = await startFlusso({
        config,
        dbUrl: rig.db.url,
        osUrl: rig.emu.url,
        ...(extra === undefined ? {} : { extra }),
      });
      running.push(f);
      return f;
    },
  };
  return rig;
}
