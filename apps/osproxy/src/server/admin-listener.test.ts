// The admin listener's routes over real HTTP: what an operator's scraper or curl gets.
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExplainStore } from '../explain/explain-store.js';
import { adminBindOf, startAdminListener } from './admin-listener.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function admin(adminToken?: string): Promise<string> {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'osproxy' });
  const explain = {
    forOperator: (id: string) =>
      id === 'req 1' ? { requestId: id, physicalIndex: 'osproxy-shared' } : undefined,
  } as unknown as ExplainStore;
  const { server, url } = await startAdminListener(
    { host: '127.0.0.1', port: 0 },
    { metrics: { registry }, explain, beforeScrape: () => undefined, adminToken },
  );
  if (server !== undefined) servers.push(server);
  return url ?? '';
}

describe('admin listener', () => {
  it('serves metrics and explain records by their (decoded) request id', async () => {
    const url = await admin();
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const record = await fetch(`${url}/_osproxy/explain/req%201`);
    expect(await record.json()).toEqual({ requestId: 'req 1', physicalIndex: 'osproxy-shared' });
  });

  it('answers 404 JSON for unknown routes, other methods and unknown ids', async () => {
    const url = await admin();
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/metrics'],
      ['GET', '/_osproxy/explain/'],
      ['GET', '/_osproxy/explain/nope'],
      ['GET', '/_osproxy/explain/req%201/x'],
    ] as const) {
      const reply = await fetch(`${url}${path}`, { method });
      expect([method, path, reply.status]).toEqual([method, path, 404]);
      expect(await reply.json()).toEqual({ error: 'not_found', retryable: false });
    }
  });

  it('needs the bearer token on every route when one is set', async () => {
    const url = await admin('s3cret-token');
    expect((await fetch(`${url}/nope`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer s3cret-token' } });
    expect(ok.status).toBe(200);
  });

  it('refuses a bind beyond loopback without a token, and accepts off', () => {
    expect(() => adminBindOf('0.0.0.0:9091', undefined, 'admin_bind')).toThrow(
      'admin_bind: beyond loopback the admin listener needs admin_token',
    );
    expect(adminBindOf('0.0.0.0:9091', 'tok', 'admin_bind')).toEqual({ host: '0.0.0.0', port: 9091 });
    expect(adminBindOf('off', undefined, 'admin_bind')).toBeUndefined();
  });
});
