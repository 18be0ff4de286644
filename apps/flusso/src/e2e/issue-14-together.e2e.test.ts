// Issue 14: flusso and osproxy together. The built flusso binary syncs a
// two-tenant schema into osproxy's layout; through the built osproxy binary each
// tenant sees exactly its own documents (compared with the SQL truth per tenant),
// after a tenant change, a child delete and a SIGKILL of flusso; another
// tenant's id is never reachable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningFlusso,
  runFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';
import {
  type RunningOsproxy,
  startOsproxy,
  TENANT_TOKENS,
  tenantGet,
  tenantTruth,
  tenantView,
  togetherDir,
  togetherSql,
} from './together.fixture.js';

let db: TestDatabase;
let emu: Emulator;
let proxy: RunningOsproxy;
const flussos: RunningFlusso[] = [];
const config = writeConfig(
  'layout = "osproxy"\nosproxy_index = "osproxy-shared"\n',
  readFileSync(join(togetherDir, 'users.schema.yml'), 'utf8'),
).config;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(togetherSql());
  emu = await startEmulator();
}, 60_000);
afterAll(async () => {
  for (const f of flussos) f.proc.kill('SIGKILL');
  await Promise.all(flussos.map((f) => f.exited));
  proxy?.proc.kill('SIGKILL');
  await proxy?.exited;
  await emu?.close();
  await db?.close();
});

async function start(): Promise<RunningFlusso> {
  const f = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url });
  flussos.push(f);
  await waitFor(
    'caught up',
    () => f.status(),
    (s) => s?.phase === 'live' && s.changes_in_flight === 0,
    30_000,
  );
  return f;
}

/** Each tenant, with its own token, sees exactly its SQL truth. */
async function eachTenantSeesItsOwn(): Promise<void> {
  for (const [tenant, token] of Object.entries(TENANT_TOKENS)) {
    const truth = await tenantTruth(db.url, tenant);
    expect(Object.keys(truth).length).toBeGreaterThan(0);
    const seen = await waitFor(
      `${tenant} sees its truth`,
      () => tenantView(proxy.url, token),
      (view) => JSON.stringify(Object.keys(view).sort()) === JSON.stringify(Object.keys(truth).sort()),
      15_000,
    );
    expect(seen).toEqual(truth);
  }
}

describe('flusso and osproxy together', () => {
  it('flusso check accepts the two-tenant schema in the osproxy layout', async () => {
    const res = await runFlusso(['check', '--config', config], { DATABASE_URL: db.url });
    expect(res.stdout).toContain('check passed');
    expect(res.code).toBe(0);
  });

  it('each tenant sees exactly its documents through osproxy after the backfill', async () => {
    await start();
    proxy = await startOsproxy(emu.url);
    await eachTenantSeesItsOwn();
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '1')).toBe(200);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-b'], '1')).toBe(404);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '2')).toBe(404);
  });

  it('an update, a tenant change and a child delete reach only the right tenant', async () => {
    await db.sql("UPDATE users SET full_name = 'Only In A' WHERE id = 1");
    await db.sql("UPDATE users SET org_id = 'org-b' WHERE id = 3");
    await db.sql('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = 5)');
    await db.sql('UPDATE users SET deleted = true WHERE id = 7');
    await waitFor(
      'user 3 moved to org-b',
      () => tenantGet(proxy.url, TENANT_TOKENS['org-b'], '3'),
      (status) => status === 200,
    );
    await eachTenantSeesItsOwn();
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '3')).toBe(404);
    const b = await tenantView(proxy.url, TENANT_TOKENS['org-b']);
    expect(JSON.stringify(b)).not.toContain('Only In A');
  });

  it('after a SIGKILL of flusso, changes made while it was down reach each tenant', async () => {
    const running = flussos.at(-1) as RunningFlusso;
    running.proc.kill('SIGKILL');
    await running.exited;
    await db.sql("UPDATE users SET org_id = 'org-a' WHERE id = 4");
    await db.sql('DELETE FROM order_items WHERE id = 2');
    await db.sql("UPDATE users SET full_name = 'Back In B' WHERE id = 6");
    await start();
    await eachTenantSeesItsOwn();
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-b'], '4')).toBe(404);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '4')).toBe(200);
  });
});
