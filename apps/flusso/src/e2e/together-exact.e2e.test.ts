// flusso and osproxy together, on values nobody here chose: int8 past 2^53,
// numeric(38,18), float8 at its edges, text with escapes and astral characters,
// jsonb with numbers no double holds (as jsonb keeps them). The built flusso writes them in osproxy's
// layout, the built osproxy serves them, and each tenant's raw reply bytes carry
// Postgres's own text of every number, the other tenant's never.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtUp, type RunningFlusso, startFlusso, waitFor, writeConfig } from './flusso-process.fixture.js';
import { type RunningOsproxy, startOsproxy, TENANT_TOKENS } from './together.fixture.js';

const schemaYaml = `version: 1
table: ledgers
primary_key: id
tenant:
  column: org_id
fields:
  - long: id
  - long: big
  - decimal: balance
  - double: ratio
  - text: note
  - json: meta
  - has_many: entries
    table: entries
    primary_key: id
    foreign_key: ledger_id
    order_by: [{ column: id }]
    fields:
      - long: id
      - decimal: amount
`;

const seed = String.raw`
CREATE TABLE ledgers (id bigint PRIMARY KEY, org_id text NOT NULL, big bigint, balance numeric(38,18),
  ratio float8, note text, meta jsonb);
CREATE TABLE entries (id bigint PRIMARY KEY, ledger_id bigint NOT NULL, amount numeric(38,18));
INSERT INTO ledgers SELECT i, CASE WHEN i % 2 = 1 THEN 'org-a' ELSE 'org-b' END,
  9007199254740993 + 1000 * i, 12345678901234567890.123456789012345678 + i,
  CASE i % 4 WHEN 0 THEN 1.7976931348623157e308 WHEN 1 THEN 5e-324 WHEN 2 THEN -0.0 ELSE 0.1 END,
  E'q"uote\\back\u00e9 \U0001F600 line\nbreak ' || i,
  ('{"n": 123456789012345678901234567890, "f": 1.0, "e": 1e400, "i": ' || i || '}')::jsonb
FROM generate_series(1, 8) i;
INSERT INTO entries SELECT i * 10 + j, i, 0.000000000000000001 * j + 98765432109876543210 FROM generate_series(1, 8) i,
  generate_series(1, 2) j;
`;

let db: TestDatabase;
let emu: Emulator;
let flusso: RunningFlusso | undefined;
let proxy: RunningOsproxy | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(seed);
  emu = await startEmulator();
});
afterAll(async () => {
  for (const p of [flusso, proxy]) p?.proc.kill('SIGKILL');
  await Promise.all([flusso?.exited, proxy?.exited]);
  await emu?.close();
  await db?.close();
});

/** One tenant's search through osproxy, as the raw bytes the client gets. */
async function rawSearch(token: string): Promise<string> {
  const res = await fetch(`${proxy?.url}/ledgers/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"size":100,"query":{"match_all":{}},"sort":[{"id":"asc"}]}',
  });
  expect(res.status).toBe(200);
  return res.text();
}

interface Row {
  id: string;
  org: string;
  big: string;
  balance: string;
  ratio: string;
  e: string;
  amounts: string[];
}

describe('flusso and osproxy together, exact values', () => {
  it("each tenant reads Postgres's own text of every number, and nothing of the other tenant", async () => {
    const { config } = writeConfig(
      'layout = "osproxy"\nosproxy_index = "osproxy-shared"\n',
      schemaYaml,
      'ledgers',
    );
    flusso = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
    await caughtUp(flusso);
    proxy = await startOsproxy(emu.url);
    await db.sql('UPDATE ledgers SET big = big + 1, balance = balance + 0.000000000000000001 WHERE id = 3');

    const rows = await db.sql<Row>(
      `SELECT l.id::text AS id, org_id AS org, big::text AS big, balance::text AS balance,
         ratio::text AS ratio, (meta->'e')::text AS e,
         array(SELECT amount::text FROM entries e WHERE e.ledger_id = l.id ORDER BY e.id) AS amounts
       FROM ledgers l ORDER BY l.id`,
    );
    const three = rows.find((r) => r.id === '3');
    expect(three?.big).toBe('9007199254743994');
    for (const [tenant, token] of Object.entries(TENANT_TOKENS)) {
      const mine = rows.filter((r) => r.org === tenant);
      const theirs = rows.filter((r) => r.org !== tenant);
      const body = await waitFor(
        `${tenant} sees the update of ledger 3 or has none`,
        () => rawSearch(token),
        (text) => tenant !== 'org-a' || text.includes(`"big":${three?.big}`),
        20_000,
      );
      for (const r of mine) {
        expect(body).toContain(`"_id":"${r.id}"`);
        expect(body).toContain(`"id":${r.id},"big":${r.big},"balance":${r.balance},"ratio":${r.ratio},`);
        for (const a of r.amounts) expect(body).toContain(`"amount":${a}`);
      }
      for (const r of theirs) {
        expect(body).not.toContain(`"big":${r.big}`);
        expect(body).not.toContain(`"_id":"${r.id}"`);
      }
      // Injected placement fields and physical names never reach a tenant.
      expect(body).not.toContain('_tenant');
      expect(body).not.toContain('osproxy-shared');
      // Numbers and strings no double or re-escaping would keep, as Postgres wrote them.
      expect(body).toContain('"n":123456789012345678901234567890');
      expect(body).toContain('"f":1.0');
      // jsonb keeps numeric, not the literal: 1e400 is stored (and served) as its 401 digits.
      expect(body).toContain(`"e":${mine[0]?.e},`);
      expect(mine[0]?.e).toMatch(/^10{400}$/);
      expect(body).toContain('q\\"uote\\\\back');
    }
    // The same bytes by id: a GET through osproxy of a big-number document.
    const res = await fetch(`${proxy.url}/ledgers/_doc/3`, {
      headers: { authorization: `Bearer ${TENANT_TOKENS['org-a']}` },
    });
    const doc = await res.text();
    expect(res.status).toBe(200);
    expect(doc).toContain(`"balance":${three?.balance},`);
    const other = await fetch(`${proxy.url}/ledgers/_doc/3`, {
      headers: { authorization: `Bearer ${TENANT_TOKENS['org-b']}` },
    });
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain(three?.big ?? 'unreachable');
  }, 120_000);
});
