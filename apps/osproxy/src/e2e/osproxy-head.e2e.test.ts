// issue 12: HEAD (the official client's `exists()`) answers status and headers
// only, logs no error, and leaves the keep-alive connection reusable.
import { Agent } from 'node:http';
import { startEmulator } from '@flusso/opensearch-emulator';
import { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { startProxy } from './osproxy-process.fixture.js';

class CountingAgent extends Agent {
  opened = 0;

  override createConnection(...args: Parameters<Agent['createConnection']>) {
    this.opened += 1;
    return super.createConnection(...args);
  }
}

describe('HEAD through the built binary (issue 12)', () => {
  it('exists() on one keep-alive agent: right answers, one socket, nothing logged', async () => {
    const emu = await startEmulator({ autoRefresh: false });
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_TOKENS: 'tok-acme=app1:acme',
      OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    });
    const agent = new CountingAgent({ keepAlive: true, maxSockets: 1 });
    const client = new Client({
      node: proxy.url,
      headers: { authorization: 'Bearer tok-acme' },
      agent: () => agent,
    });
    try {
      await client.index({ index: 'orders', id: '1', body: { v: 1 }, refresh: true });
      const opened = agent.opened;
      for (let i = 0; i < 10; i++) {
        expect((await client.exists({ index: 'orders', id: '1' })).body).toBe(true);
        expect((await client.exists({ index: 'orders', id: 'missing' })).body).toBe(false);
      }
      expect(agent.opened).toBe(opened);
      expect(proxy.stderr()).not.toMatch(/ERR_HTTP_HEADERS_SENT|"level":50/);
    } finally {
      await client.close();
      agent.destroy();
      await proxy.stop();
      await emu.close();
    }
  });
});
