// Issue 14: two logical indexes (users; orders, whose tenant is reached through
// a belongs_to path) in one shared osproxy index. A tenant change moves the
// dependent documents; TRUNCATE and a reindex rebuild only their own logical
// index; each tenant keeps seeing exactly its SQL truth through osproxy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caughtUp, type RunningFlusso, runFlusso, waitFor } from './flusso-process.fixture.js';
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
let flusso: RunningFlusso;
const dir = mkdtempSync(join(tmpdir(), 'flusso-together-'));
const config = join(dir, 'flusso.toml');
const indexes = ['users', 'orders'] as const;

beforeAll(() => {
  const schema = (name: string) => join(togetherDir, `${name}.schema.yml`);
  const entries = indexes.map((i) => `[[index]]\nname = "${i}"\nschema = "${schema(i)}"\nenabled = true\n`);
  writeFileSync(
    config,
    `[source]\ntype = "postgres"\nconnection_url = { env = "DATABASE_URL" }\n\n[sinks.primary]\ntype = "opensearch"\nnumber_of_replicas = 0\nrefresh_interval = "1s"\nlayout = "osproxy"\n\n${entries.join('\n')}`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The sequence number of a physical document (read from the cluster, not through osproxy). */
async function seqNo(id: string, routing: string): Promise<number> {
  const res = await fetch(`${rig.emu.url}/osproxy-shared/_doc/${id}?routing=${routing}`);
  return ((await res.json()) as { _seq_no?: number })._seq_no ?? -1;
}

/** Each tenant sees exactly its SQL truth in both logical indexes. */
async function eachTenantSeesItsOwn(): Promise<void> {
  for (const index of indexes)
    for (const [tenant, token] of Object.entries(TENANT_TOKENS)) {
      const truth = await tenantTruth(rig.db.url, tenant, index);
      const seen = await waitFor(
        `${tenant} sees its ${index}`,
        () => tenantView(proxy.url, token, index),
        (view) => JSON.stringify(Object.keys(view).sort()) === JSON.stringify(Object.keys(truth).sort()),
        15_000,
      );
      expect(seen).toEqual(truth);
    }
}

describe('two logical indexes in one shared osproxy index', () => {
  it('flusso check accepts a belongs_to tenant path and the shared mapping', async () => {
    const res = await runFlusso(['check', '--config', config], { DATABASE_URL: rig.db.url });
    expect(res.stdout).toContain('check passed');
  });

  it('serves each tenant its users and orders, and moves a customer with its orders', async () => {
    flusso = await rig.start(config);
    await caughtUp(flusso);
    proxy = await rig.startProxy();
    expect(Object.keys(await tenantTruth(rig.db.url, 'org-b', 'orders')).length).toBeGreaterThan(0);
    await eachTenantSeesItsOwn();
    // Order 1 belongs to user 1 (org-a); moving the user moves the order.
    await rig.db.sql("UPDATE users SET org_id = 'org-b' WHERE id = 1");
    await waitFor(
      'order 1 under org-b',
      () => tenantGet(proxy.url, TENANT_TOKENS['org-b'], '1', 'orders'),
      (status) => status === 200,
    );
    expect(await tenantGet(proxy.url, TENANT_TOKENS['org-a'], '1', 'orders')).toBe(404);
    await eachTenantSeesItsOwn();
  });

  it('a reindex of orders leaves the users documents untouched', async () => {
    const usersBefore = await tenantView(proxy.url, TENANT_TOKENS['org-a'], 'users');
    const orderBefore = await seqNo('org-a:orders:3', 'org-a');
    const userBefore = await seqNo('org-a:users:3', 'org-a');
    expect(Math.min(orderBefore, userBefore)).toBeGreaterThanOrEqual(0);
    const auth = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const res = await fetch(`${flusso.privateUrl}/reindex?index=orders`, { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    await waitFor(
      'order 3 rewritten',
      () => seqNo('org-a:orders:3', 'org-a'),
      (n) => n > orderBefore,
    );
    await caughtUp(flusso);
    expect(await seqNo('org-a:users:3', 'org-a')).toBe(userBefore);
    expect(await tenantView(proxy.url, TENANT_TOKENS['org-a'], 'users')).toEqual(usersBefore);
    await eachTenantSeesItsOwn();
  });

  it('TRUNCATE of the orders tables empties orders for every tenant and rebuilds users', async () => {
    await rig.db.sql('TRUNCATE order_items, orders');
    await waitFor(
      'orders emptied',
      () => tenantView(proxy.url, TENANT_TOKENS['org-a'], 'orders'),
      (view) => Object.keys(view).length === 0,
    );
    await caughtUp(flusso);
    await eachTenantSeesItsOwn();
    expect(Object.keys(await tenantView(proxy.url, TENANT_TOKENS['org-b'], 'users')).length).toBeGreaterThan(
      0,
    );
  });
});
