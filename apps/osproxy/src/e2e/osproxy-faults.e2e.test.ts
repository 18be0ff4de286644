// The proxy's behaviour at the edges: no TLS, TLS, the in-flight cap, a stuck or
// dead upstream, and a graceful drain on SIGTERM.
import { request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { freePort, selfSignedCert } from '@flusso/net-kit';
import { startEmulator } from '@flusso/opensearch-emulator';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { json, runProxyToExit, startProxy, untilMetric } from './osproxy-process.fixture.js';

describe('osproxy at the edges', () => {
  it('without TLS and without the cleartext opt-in, mutations are 403 tls_required; reads pass', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({ OSPROXY_UPSTREAM: emu.url });
    try {
      const write = await json(`${proxy.url}/orders/_doc/1`, { method: 'PUT', body: { tenant_id: 'acme' } });
      expect(write).toMatchObject({ status: 403, body: { error: 'tls_required', retryable: false } });
      const bulk = await json(`${proxy.url}/_bulk`, {
        raw: '{"delete":{"_index":"orders","_id":"1"}}\n',
        headers: { 'x-tenant': 'acme' },
      });
      expect(bulk.status).toBe(403);
      const read = await json(`${proxy.url}/orders/_search`, { headers: { 'x-tenant': 'acme' } });
      expect(read.status).toBe(200);
      expect(proxy.stderr()).toContain('OPEN DEV MODE');
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('over TLS, mutations are accepted without the opt-in', async () => {
    const emu = await startEmulator();
    const cert = selfSignedCert();
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_TLS_CERT: cert.certPath,
      OSPROXY_TLS_KEY: cert.keyPath,
    });
    const dispatcher = new Agent({ connect: { ca: cert.cert } });
    try {
      const res = await fetch(`${proxy.url}/orders/_doc/1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant_id: 'acme', v: 1 }),
        // @ts-expect-error undici's dispatcher option on Node's fetch
        dispatcher,
      });
      expect(res.status).toBe(201);
      expect(proxy.url.startsWith('https://')).toBe(true);
    } finally {
      await dispatcher.close();
      await proxy.stop();
      await emu.close();
    }
  });

  it('with a client CA, only clients presenting a certificate it signed get through (mTLS)', async () => {
    const emu = await startEmulator();
    const server = selfSignedCert();
    const client = selfSignedCert('osproxy-client');
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_TLS_CERT: server.certPath,
      OSPROXY_TLS_KEY: server.keyPath,
      OSPROXY_TLS_CLIENT_CA: client.certPath,
    });
    const withCert = new Agent({ connect: { ca: server.cert, cert: client.cert, key: client.key } });
    const withoutCert = new Agent({ connect: { ca: server.cert } });
    const search = (dispatcher: Agent) =>
      fetch(`${proxy.url}/orders/_search`, {
        headers: { 'x-tenant': 'acme' },
        // @ts-expect-error undici's dispatcher option on Node's fetch
        dispatcher,
      });
    try {
      expect((await search(withCert)).status).toBe(200);
      await expect(search(withoutCert)).rejects.toThrow();
    } finally {
      await withCert.close();
      await withoutCert.close();
      await proxy.stop();
      await emu.close();
    }
  });

  it('past the in-flight byte cap a request is 429 with retry-after; it passes once bytes drain', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
      OSPROXY_MAX_INFLIGHT_BYTES: '1000',
    });
    const doc = JSON.stringify({ tenant_id: 'acme', pad: 'x'.repeat(700) });
    // A client still sending its body holds the bytes that have arrived.
    const slow = request(`${proxy.url}/orders/_doc/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'content-length': String(doc.length) },
    });
    const slowDone = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    try {
      slow.write(doc.slice(0, doc.length - 10));
      await untilMetric(proxy.adminUrl, 'osproxy_inflight_bytes', (v) => v >= doc.length - 10);
      const refused = await json(`${proxy.url}/orders/_doc/2`, { method: 'PUT', raw: doc });
      expect(refused).toMatchObject({ status: 429, body: { error: 'overloaded', retryable: true } });
      expect(refused.headers.get('retry-after')).toBe('1');
      // Chunked bodies (no declared length) count the same way.
      const chunked = await fetch(`${proxy.url}/orders/_doc/3`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: new Blob([doc]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(429);
      slow.end(doc.slice(doc.length - 10));
      expect(await slowDone).toBe(201);
      const after = await json(`${proxy.url}/orders/_doc/2`, { method: 'PUT', raw: doc });
      expect(after.status).toBe(201);
    } finally {
      slow.destroy();
      await proxy.stop();
      await emu.close();
    }
  });

  it('started while the cluster is down, holds tenant traffic (502, retryable) until the shared index is checked', async () => {
    const emu = await startEmulator();
    emu.faults.refuseConnections = true;
    const proxy = await startProxy({ OSPROXY_UPSTREAM: emu.url, OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true' });
    try {
      const held = await json(`${proxy.url}/orders/_doc/1`, {
        method: 'PUT',
        body: { tenant_id: 'acme-corp', v: 1 },
      });
      expect(held).toMatchObject({ status: 502, body: { error: 'upstream_failed', retryable: true } });
      expect(await (await fetch(`${proxy.adminUrl}/metrics`)).text()).toContain(
        'osproxy_tenancy_index_ready 0',
      );
      emu.faults.refuseConnections = false;
      await new Promise((r) => setTimeout(r, 1_100));
      const write = await json(`${proxy.url}/orders/_doc/1?refresh=true`, {
        method: 'PUT',
        body: { tenant_id: 'acme-corp', v: 1 },
      });
      expect(write.status).toBe(201);
      // The index was made by the proxy with keyword tenancy fields, not by the write.
      expect(emu.store.indexes.get('osproxy-shared')?.mappings.properties._tenant).toEqual({
        type: 'keyword',
      });
      const other = await json(`${proxy.url}/orders/_count`, { headers: { 'x-tenant': 'acme' } });
      expect(other.body?.count).toBe(0);
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('adds missing tenancy fields to an existing shared index, and refuses to start on one that maps them as text', async () => {
    const emu = await startEmulator();
    emu.store.createIndex('osproxy-shared', { mappings: { properties: { item: { type: 'keyword' } } } });
    const proxy = await startProxy({ OSPROXY_UPSTREAM: emu.url });
    await proxy.stop();
    expect(emu.store.indexes.get('osproxy-shared')?.mappings.properties).toMatchObject({
      item: { type: 'keyword' },
      _tenant: { type: 'keyword' },
      _index_name: { type: 'keyword' },
    });
    emu.store.createIndex('dynamic-shared', { mappings: { properties: { _tenant: { type: 'text' } } } });
    try {
      const { code, stderr } = await runProxyToExit([], {
        OSPROXY_UPSTREAM: emu.url,
        OSPROXY_INDEX: 'dynamic-shared',
      });
      expect(code).toBe(2);
      expect(stderr).toContain('the index maps _tenant as text, not keyword');
    } finally {
      await emu.close();
    }
  });

  it('a stuck upstream gives 504 upstream_timeout, retryable, within the timeout', async () => {
    const sockets: Socket[] = [];
    const stuck: Server = createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((r) => stuck.listen(port, '127.0.0.1', r));
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: `http://127.0.0.1:${port}`,
      OSPROXY_UPSTREAM_TIMEOUT_MS: '300',
    });
    try {
      const started = Date.now();
      const res = await json(`${proxy.url}/orders/_search`, { headers: { 'x-tenant': 'acme' } });
      expect(res).toMatchObject({ status: 504, body: { error: 'upstream_timeout', retryable: true } });
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await proxy.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => stuck.close(() => r()));
    }
  });

  it('a dead upstream trips the breaker (502, shed) and the proxy recovers when it returns', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_BREAKER_THRESHOLD: '2',
      OSPROXY_BREAKER_COOLDOWN_MS: '500',
    });
    const search = () => json(`${proxy.url}/orders/_search`, { headers: { 'x-tenant': 'acme' } });
    try {
      expect((await search()).status).toBe(200);
      emu.faults.refuseConnections = true;
      for (let i = 0; i < 2; i++)
        expect(await search()).toMatchObject({
          status: 502,
          body: { error: 'upstream_failed', retryable: true },
        });
      const before = emu.requests.length;
      expect((await search()).status).toBe(502);
      const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
      expect(metrics).toContain('osproxy_breaker_open{cluster="default"} 1');
      emu.faults.refuseConnections = false;
      await new Promise((r) => setTimeout(r, 600));
      expect((await search()).status).toBe(200);
      expect(emu.requests.length).toBe(before + 1);
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('drains in-flight requests on SIGTERM and exits 0', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({ OSPROXY_UPSTREAM: emu.url });
    try {
      emu.faults.delayMs = 800;
      const inflight = json(`${proxy.url}/orders/_search`, { headers: { 'x-tenant': 'acme' } });
      await new Promise((r) => setTimeout(r, 200));
      proxy.proc.kill('SIGTERM');
      expect((await inflight).status).toBe(200);
      expect(await proxy.exited).toBe(0);
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('forwards operator-listed legacy indexes verbatim, the reply streamed', async () => {
    const emu = await startEmulator();
    const proxy = await startProxy({
      OSPROXY_UPSTREAM: emu.url,
      OSPROXY_PASSTHROUGH_INDICES: 'legacy-',
      OSPROXY_ALLOW_CLEARTEXT_MUTATION: '1',
    });
    try {
      const doc = { message: 'x'.repeat(200_000), n: 1 };
      const put = await json(`${proxy.url}/legacy-logs/_doc/1?refresh=true`, { method: 'PUT', body: doc });
      expect(put).toMatchObject({ status: 201, body: { _index: 'legacy-logs', _id: '1' } });
      expect(emu.store.indexes.get('legacy-logs')?.docs.get('1')?.source).toEqual(doc);
      const got = await json(`${proxy.url}/legacy-logs/_doc/1`);
      expect(got.body).toMatchObject({ _index: 'legacy-logs', _id: '1', _source: doc });
      const traversal = await json(`${proxy.url}/legacy-logs/..%2F_cat`);
      expect(traversal).toMatchObject({ status: 400, body: { error: 'malformed_request' } });
    } finally {
      await proxy.stop();
      await emu.close();
    }
  });

  it('exits 2 naming the key for bad settings', async () => {
    const badValue = await runProxyToExit(['--max-body-bytes', 'lots']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('--max-body-bytes');
    const halfSasl = await runProxyToExit([
      '--kafka-brokers',
      '127.0.0.1:1',
      '--kafka-sasl-mechanism',
      'plain',
    ]);
    expect(halfSasl.code).toBe(2);
    expect(halfSasl.stderr).toContain(
      'kafka_sasl_mechanism: needs kafka_sasl_username and kafka_sasl_password',
    );
    const noCa = await runProxyToExit([
      '--kafka-brokers',
      '127.0.0.1:1',
      '--kafka-tls-ca',
      '/nonexistent/ca.pem',
    ]);
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toContain('kafka_tls_ca: cannot read');
  });
});
