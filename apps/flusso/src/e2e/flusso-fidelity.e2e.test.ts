// End to end, exact values: the built binary syncs a composite-key root and
// child with numeric(38,10), int8 beyond 2^53, arrays (NULLs, 2-D), BC and
// infinite dates, is SIGKILLed in the middle of live writes, restarts, and the
// last bulk bytes it sent for every document equal what the SQL builds now.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caughtUp,
  type RunningFlusso,
  runFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';
import { type RecordingEndpoint, startRecordingEndpoint } from './recording-endpoint.fixture.js';
import { sqlTruth } from './sql-truth.fixture.js';

const schemaYaml = `version: 1
table: accounts
primary_key: [tenant, id]
fields:
  - integer: tenant
  - long: id
  - keyword: name
  - decimal: balance
  - long: big
  - integer: scores
  - integer: grid
  - keyword: tags
  - date: born
  - timestamp: seen
  - has_many: notes
    table: notes
    primary_key: [tenant, account_id, line]
    foreign_key: [tenant, account_id]
    order_by: [{ column: line }]
    fields:
      - integer: line
      - decimal: amount
      - keyword: labels
  - sum: total
    table: notes
    column: amount
    value_type: decimal
    foreign_key: [tenant, account_id]
`;

const seed = `
CREATE TABLE accounts (tenant int, id bigint, name text NOT NULL, balance numeric(38,10), big bigint,
  scores int[], grid int[][], tags text[], born date, seen timestamptz, PRIMARY KEY (tenant, id));
CREATE TABLE notes (tenant int, account_id bigint, line int, amount numeric(38,10), labels text[],
  PRIMARY KEY (tenant, account_id, line));
ALTER TABLE notes REPLICA IDENTITY FULL;
INSERT INTO accounts SELECT t, 9007199254740993 + i, 'n' || i, 12345678901234567890.1234567891 + i,
  9007199254740993 + 2 * i, ARRAY[i, NULL, 3], ARRAY[[i, 2], [3, 4]], ARRAY['a b', NULL, 'c,d'],
  CASE i % 3 WHEN 0 THEN '0044-03-15 BC'::date WHEN 1 THEN 'infinity'::date ELSE '2024-02-29'::date END,
  '2024-01-02 03:04:05.123456+00'
FROM generate_series(1, 2) t, generate_series(1, 60) i;
INSERT INTO notes SELECT tenant, id, l, 1 + 0.0000000001 * l, ARRAY['x', NULL] FROM accounts, generate_series(1, 3) l;
`;

let db: TestDatabase;
let emu: Emulator;
let rec: RecordingEndpoint;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(seed);
  emu = await startEmulator();
  rec = await startRecordingEndpoint(emu.url);
});
afterAll(async () => {
  await rec?.close();
  await emu?.close();
  await db?.close();
});

async function writes(ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (let i = 1; Date.now() < end; i++) {
    const t = (i % 2) + 1;
    const id = `9007199254740993 + ${(i % 60) + 1}`;
    await db.sql(
      [
        `UPDATE accounts SET balance = balance + 0.0000000001, big = big + 1, scores = scores || ${i} WHERE tenant = ${t} AND id = ${id}`,
        `INSERT INTO notes VALUES (${t}, ${id}, ${100 + i}, 98765432109876543210.0123456789, ARRAY['n${i}']) ON CONFLICT DO NOTHING`,
        `UPDATE notes SET amount = amount + 0.0000000001 WHERE tenant = ${t} AND account_id = ${id} AND line = 1`,
        `DELETE FROM notes WHERE tenant = ${t} AND account_id = ${id} AND line = 2`,
        `UPDATE accounts SET born = '0001-01-01 BC', tags = '{}' WHERE tenant = ${t} AND id = ${id}`,
      ][i % 5] as string,
    );
  }
}

const settled = (f: RunningFlusso) => caughtUp(f, 60_000);

describe('flusso fidelity end to end', () => {
  it('sends every digit, array and date exactly, through a SIGKILL mid-load', async () => {
    const { config } = writeConfig('', schemaYaml);
    const first = await startFlusso({ config, dbUrl: db.url, osUrl: rec.url });
    await settled(first);
    const load = writes(3000);
    await new Promise((r) => setTimeout(r, 1200));
    first.proc.kill('SIGKILL');
    await first.exited;
    await load;
    const second = await startFlusso({ config, dbUrl: db.url, osUrl: rec.url });
    try {
      await settled(second);
      const truth = await sqlTruth(db.url, schemaYaml);
      const sent = await waitFor(
        'the last bytes sent equal the SQL',
        async () => rec.last(),
        (last) => [...truth].every(([id, text]) => last.get(id)?.text === text),
        30_000,
      );
      expect(truth.size).toBe(120);
      for (const [id, text] of truth) expect(`${id} ${sent.get(id)?.text}`).toBe(`${id} ${text}`);
      const one = truth.get('2:9007199254740996') ?? '';
      expect(one).toMatch(/"id":9007199254740996,/);
      expect(one).toMatch(/"grid":\[\[3,2\],\[3,4\]\]/);
      expect(one).toMatch(/"born":"(-0043-03-15|0000-01-01)"/);
      // Independently of the builder: Postgres's own text of each exact number is in the bytes sent.
      const rows = await db.sql<{ id: string; b: string; g: string }>(
        `SELECT tenant || ':' || id AS id, balance::text AS b, big::text AS g FROM accounts`,
      );
      for (const r of rows) expect(sent.get(r.id)?.text).toContain(`"balance":${r.b},"big":${r.g},`);
      expect(second.stderr()).not.toMatch(/"level":50/);
    } finally {
      second.proc.kill('SIGKILL');
      await second.exited;
    }
  }, 180_000);

  it('check and run refuse a key that is only part of the primary key, naming the table and the fix', async () => {
    const { config } = writeConfig('', schemaYaml.replace('primary_key: [tenant, id]', 'primary_key: id'));
    const env = { DATABASE_URL: db.url, PRIMARY_OPENSEARCH_URL: rec.url };
    const check = await runFlusso(['check', '--config', config], env);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      'error: [users] primary_key: primary_key (id) is not a unique key of public.accounts (its primary key is (tenant, id))',
    );
    expect(check.stdout).toContain('fix: declare primary_key: [tenant, id]');
    const run = await runFlusso(['run', '--config', config, '--admin-password', 'pw'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('primary_key (id) is not a unique key of public.accounts');
    expect(run.stderr).toContain('declare primary_key: [tenant, id]');
  }, 60_000);
});
