// issue 12: metrics and whole explain records live on the admin listener; the
// tenant port serves neither. Request ids are minted by the proxy, so a client
// can neither choose nor overwrite another's explain record, and a tenant reads
// only its own records, never a physical name.
import { startEmulator } from '@flusso/opensearch-emulator';
import { describe, expect, it } from 'vitest';
import { json, runProxyToExit, startProxy } from './osproxy-process.fixture.js';

const TOKENS = 'tok-acme=app1:acme,tok-globex=app2:globex,tok-ops=ops';
const acme = { authorization: 'Bearer tok-acme' };
const globex = { authorization: 'Bearer tok-globex' };

describe('admin listener and explain (issue 12)', () => {
  it('serves metrics on the admin listener only, behind its token when one is set', async () => {
    const emu = await startEmulator();
    const token = 'admin-token-0123456789';
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_TOKENS: TOKENS,
      OSPROXY_ADMIN_TOKEN: token,
    });
    try {
      const onTenantPort = await fetch(`${proxy.url}/metrics`, { headers: acme });
      expect(onTenantPort.status).toBe(400);
      expect(await onTenantPort.text()).not.toContain('osproxy_requests_total');
      const anonymous = await fetch(`${proxy.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect((await fetch(`${proxy.adminUrl}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${proxy.adminUrl}/metrics`, { headers: acme });
      expect(wrong.status).toBe(401);
      const scraped = await fetch(`${proxy.adminUrl}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('osproxy_requests_total');
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('refuses to start with an admin listener beyond loopback and no admin token', async () => {
    const { code, stderr } = await runProxyToExit([], { OSPROXY_ADMIN_BIND: '0.0.0.0:0' });
    expect(code).toBe(2);
    expect(stderr).toContain('admin_bind: beyond loopback the admin listener needs admin_token');
  });

  it('keys explain by minted ids: a client x-request-id is a correlation field, never a key', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({ OSPROXY_UPSTREAM: emu.url, OSPROXY_TOKENS: TOKENS });
    try {
      const chosen = 'chosen-by-client';
      const a = await json(`${proxy.url}/orders/_count`, { headers: { ...acme, 'x-request-id': chosen } });
      const minted = a.headers.get('x-request-id') ?? '';
      expect(minted).not.toBe(chosen);
      // globex reuses the same client id: it overwrites nothing and reads nothing.
      await json(`${proxy.url}/orders/_count`, { headers: { ...globex, 'x-request-id': chosen } });
      for (const headers of [acme, globex]) {
        expect((await json(`${proxy.url}/_osproxy/explain/${chosen}`, { headers })).status).toBe(404);
      }
      const own = await json(`${proxy.url}/_osproxy/explain/${minted}`, { headers: acme });
      expect(own).toMatchObject({
        status: 200,
        body: { requestId: minted, correlationId: chosen, partition: 'acme', endpointKind: 'Count' },
      });
      expect(JSON.stringify(own.body)).not.toMatch(/osproxy-shared|physicalIndex|"cluster"/);
      for (const headers of [globex, { authorization: 'Bearer tok-ops' }, {}]) {
        expect((await json(`${proxy.url}/_osproxy/explain/${minted}`, { headers })).status).not.toBe(200);
      }
      const operator = await json(`${proxy.adminUrl}/_osproxy/explain/${minted}`);
      expect(operator).toMatchObject({
        status: 200,
        body: { physicalIndex: 'osproxy-shared', principal: 'app1', correlationId: chosen },
      });
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });
});
