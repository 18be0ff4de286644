// Through the built binary: a root keyed by a public id beside its serial primary
// key. Under REPLICA IDENTITY DEFAULT its deletes would never reach the index, so
// check and run refuse, naming the fix; with that fix applied, a delete and a key
// change leave exactly the documents the SQL says, read back from the index.
import { isDeepStrictEqual } from 'node:util';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caughtUp,
  indexDocs,
  type RunningFlusso,
  runFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const SCHEMA = `version: 1
table: members
primary_key: public_id
fields:
  - keyword: public_id
  - text: name
`;
const FIX = 'ALTER TABLE public.members REPLICA IDENTITY USING INDEX members_public_id_key;';

describe('a root keyed by a unique index beside its primary key', () => {
  let db: TestDatabase;
  let emu: Emulator;
  let flusso: RunningFlusso | null = null;
  beforeAll(async () => {
    emu = await startEmulator();
    db = await createTestDatabase();
    await db.sql(`CREATE TABLE members (id serial PRIMARY KEY, public_id text UNIQUE NOT NULL, name text);
      INSERT INTO members (public_id, name) VALUES ('m1', 'a'), ('m2', 'b'), ('m3', 'c');`);
  });
  afterAll(async () => {
    flusso?.proc.kill('SIGKILL');
    await emu?.close();
    await db?.close();
  });

  it('is refused under REPLICA IDENTITY DEFAULT, and with the named fix deletes and re-keys reach the index', async () => {
    const { config } = writeConfig('', SCHEMA, 'members');
    const env = { DATABASE_URL: db.url, PRIMARY_OPENSEARCH_URL: emu.url };
    const check = await runFlusso(['check', '--config', config], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`fix: ${FIX}`);
    const run = await runFlusso(
      ['run', '--config', config, '--public-address', '127.0.0.1:0', '--private-address', '127.0.0.1:0'],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(FIX);
    await db.sql(FIX);
    flusso = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
    await caughtUp(flusso);
    await db.sql(`DELETE FROM members WHERE public_id = 'm2';
      UPDATE members SET public_id = 'm1-new' WHERE public_id = 'm1';`);
    const want = { 'm1-new': { public_id: 'm1-new', name: 'a' }, m3: { public_id: 'm3', name: 'c' } };
    const docs = await waitFor(
      'the delete and the re-key',
      () => indexDocs(emu.url, 'members'),
      (d) => isDeepStrictEqual(d, want),
    );
    expect(docs).toEqual(want);
  }, 60_000);
});
