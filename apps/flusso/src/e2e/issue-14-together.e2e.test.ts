// Issue 14: flusso and osproxy together. The built flusso binary syncs a
// two-tenant schema into osproxy's layout; through the built osproxy binary each
// tenant sees exactly its own documents (compared with the SQL truth per tenant),
// after a tenant change, a child delete and a SIGKILL of flusso; another
// tenant's id is never reachable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caughtUp, type RunningFlusso, runFlusso, waitFor, writeConfig } from './flusso-process.fixture.js';
import {
  type RunningOsproxy,
  TENANT_TOKENS,
  tenantGet,
  tenantTruth,
  tenantView,
  togetherDir,
  useTogetherRig,
} from './together.fixture.js';

const rig = useTogetherRig();
let proxy: RunningOsproxy;
let current: RunningFlusso;
const config = writeConfig(
  'layout = "osproxy"\nosproxy_index = "osproxy-shared"\n',
  readFileSync(join(togetherDir, 'users.schema.yml'), 'utf8'),
).config;

async function start(): Promise<RunningFlusso> {
  const f = await rig.start(config);
  current = f;
  await caughtUp(f);
  return f;
}

/** Each tenant, with its own token, sees exactly its SQL truth. */
async function eachTenantSeesItsOwn(): Promise<void> {
  for (const [tenant, token] of Object.entries(TENANT_TOKENS)) {
    const truth = await tenantTruth(rig.db.url, tenant);
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
    const res = await runFlusso(['check', '--config', config], { DATABASE_URL: rig.db.url });
    expect(res.stdout).toContain('check passed');
    expect(res.code).toBe(0);
  });

  it('each tenant sees exactly its documents through osproxy after the backfill', async () => {
    await start();
    proxy = await rig.startProxy();
    await eachTenantSeesItsOwn();
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '1')).toBe(200);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-b'], '1')).toBe(404);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '2')).toBe(404);
  });

  it('an update, a tenant change and a child delete reach only the right tenant', async () => {
    await rig.db.sql("UPDATE users SET full_name = 'Only In A' WHERE id = 1");
    await rig.db.sql("UPDATE users SET org_id = 'org-b' WHERE id = 3");
    await rig.db.sql('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = 5)');
    await rig.db.sql('UPDATE users SET deleted = true WHERE id = 7');
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
    current.proc.kill('SIGKILL');
    await current.exited;
    await rig.db.sql("UPDATE users SET org_id = 'org-a' WHERE id = 4");
    await rig.db.sql('DELETE FROM order_items WHERE id = 2');
    await rig.db.sql("UPDATE users SET full_name = 'Back In B' WHERE id = 6");
    await start();
    await eachTenantSeesItsOwn();
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-b'], '4')).toBe(404);
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '4')).toBe(200);
  });
});
