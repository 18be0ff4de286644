// Issue 13 through the built binary: a table without a replica identity is
// refused by `flusso check` and `flusso run` (exit 1, naming it and the fix),
// and never published, so the application's own writes keep working.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlusso, writeConfig } from './flusso-process.fixture.js';

const SCHEMA = `version: 1
table: nopk
primary_key: id
fields:
  - integer: id
    required: true
  - keyword: n
    required: false
`;

describe('a root without a primary key or replica identity', () => {
  let db: TestDatabase;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
    db = await createTestDatabase();
    await db.sql("CREATE TABLE nopk (id int NOT NULL, n text); INSERT INTO nopk VALUES (1, 'a')");
  });
  afterAll(async () => {
    await emu?.close();
    await db?.close();
  });

  it('is refused by check and run, and the application can still update and delete it', async () => {
    const { config } = writeConfig('', SCHEMA, 'nopk');
    const check = await runFlusso(['check', '--config', config], { DATABASE_URL: db.url });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('public.nopk has no primary key and no replica identity');
    expect(check.stdout).toContain('fix: ALTER TABLE public.nopk ADD PRIMARY KEY');
    const run = await runFlusso(
      ['run', '--config', config, '--public-address', '127.0.0.1:0', '--private-address', '127.0.0.1:0'],
      {
        DATABASE_URL: db.url,
        PRIMARY_OPENSEARCH_URL: emu.url,
      },
    );
    expect(run.code).toBe(1);
    // The key check and the replica-identity check both refuse this table; either names it and the fix.
    expect(run.stderr).toMatch(/public\.nopk (\(it )?has no primary key/);
    expect(run.stderr).toContain('ALTER TABLE public.nopk ADD PRIMARY KEY');
    expect(await db.sql('SELECT pubname FROM pg_publication')).toEqual([]);
    await db.sql("UPDATE nopk SET n = 'b' WHERE id = 1; DELETE FROM nopk WHERE id = 1");
  }, 60_000);
});
