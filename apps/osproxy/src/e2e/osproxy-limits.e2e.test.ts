// issue 12: the in-flight budget is charged as bytes arrive, per tenant as well
// as globally, so a tenant holding slow uploads cannot starve the others; a body
// that does not arrive in time is 408 and gives its bytes back; slow headers time out.
import { type ClientRequest, request } from 'node:http';
import { connect } from 'node:net';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, startProxy, untilMetric } from './osproxy-process.fixture.js';

let emu: Emulator;
let proxy: RunningProxy;
const DECLARED = 390_000;
const SENT = 40_000;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  proxy = await startProxy({
    OSPROXY_UPSTREAM: emu.url,
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-globex=app2:globex',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_MAX_INFLIGHT_BYTES: '400000',
    OSPROXY_MAX_INFLIGHT_BYTES_PER_TENANT: '100000',
    OSPROXY_BODY_TIMEOUT_MS: '1500',
  });
});

afterAll(async () => {
  await proxy?.stop();
  await emu?.close();
});

interface Upload {
  readonly req: ClientRequest;
  readonly answer: Promise<{ status: number; body: string }>;
}

/** Declares a large body, sends the first `SENT` bytes, then stalls. */
function slowUpload(id: string): Upload {
  const req = request(`${proxy.url}/orders/_doc/${id}`, {
    method: 'PUT',
    headers: {
      authorization: 'Bearer tok-acme',
      'content-type': 'application/json',
      'content-length': String(DECLARED),
    },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.write(`{"pad":"${'x'.repeat(SENT - 8)}`);
  return { req, answer };
}

describe('fair in-flight limits (issue 12)', () => {
  it('a tenant holding slow uploads near its share leaves other tenants served; the slow bodies get 408 and release their bytes', async () => {
    const uploads = [slowUpload('s1'), slowUpload('s2')];
    try {
      await untilMetric(proxy.adminUrl, 'osproxy_inflight_bytes', (v) => v >= 2 * SENT);
      const third = slowUpload('s3');
      uploads.push(third);
      expect(await third.answer).toMatchObject({ status: 429 });
      for (let i = 0; i < 3; i++) {
        const res = await json(`${proxy.url}/orders/_doc/b${i}`, {
          method: 'PUT',
          headers: { authorization: 'Bearer tok-globex' },
          body: { pad: 'y'.repeat(10_000) },
        });
        expect(res.status).toBe(201);
      }
      for (const upload of uploads.slice(0, 2)) {
        const answer = await upload.answer;
        expect(answer.status).toBe(408);
        expect(JSON.parse(answer.body)).toEqual({ error: 'request_timeout', retryable: true });
      }
      await untilMetric(proxy.adminUrl, 'osproxy_inflight_bytes', (v) => v === 0);
      const again = await json(`${proxy.url}/orders/_doc/a1`, {
        method: 'PUT',
        headers: { authorization: 'Bearer tok-acme' },
        body: { pad: 'z'.repeat(50_000) },
      });
      expect(again.status).toBe(201);
    } finally {
      for (const upload of uploads) upload.req.destroy();
    }
  });

  it('headers that never finish are 408 and the connection closes', async () => {
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('PUT /orders/_doc/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-acme\r\n');
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });
});
