// issue 12: client headers reach the cluster by allowlist only (what a recording
// upstream received is asserted), and a content-encoded body is decoded before
// the proxy rewrites it, or refused.
import { gzipSync } from 'node:zlib';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, runProxyToExit, startProxy } from './osproxy-process.fixture.js';
import { type Arrived, type RecordingRelay, startRecordingRelay } from './recording-relay.fixture.js';

let emu: Emulator;
let relay: RecordingRelay;
let proxy: RunningProxy;

const hostile = {
  'x-proxy-user': 'admin',
  'x-proxy-roles': 'all_access',
  securitytenant: 'global_tenant',
  'x-forwarded-for': '10.0.0.1',
  'x-forwarded-user': 'admin',
  forwarded: 'for=10.0.0.1',
  cookie: 'security_authentication=stolen',
  'x-tenant': 'acme',
  'x-unlisted': 'nope',
};
const wanted = {
  accept: 'application/json',
  'x-opaque-id': 'job-7',
  'x-team': 'search',
  'x-request-id': 'client-correlation',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};
// undici's own framing of the hop.
const FRAMING = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  relay = await startRecordingRelay(emu.url);
  proxy = await startProxy({
    OSPROXY_UPSTREAM: relay.url,
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-ops=ops',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_PASSTHROUGH_INDICES: 'legacy-',
    OSPROXY_FORWARD_HEADER_ALLOW: 'X-Team',
  });
});

afterAll(async () => {
  await proxy?.stop();
  await relay?.close();
  await emu?.close();
});

function last(): Arrived {
  const found = relay.arrived.at(-1);
  if (found === undefined) throw new Error('nothing reached the upstream');
  return found;
}

function names(arrived: Arrived): string[] {
  return Object.keys(arrived.headers)
    .filter((n) => !FRAMING.has(n))
    .sort();
}

describe('headers upstream (issue 12)', () => {
  it('a tenant search carries only allowlisted headers, the proxy trace span and its own request id', async () => {
    const res = await json(`${proxy.url}/orders/_search`, {
      headers: { authorization: 'Bearer tok-acme', 'accept-encoding': 'gzip', ...hostile, ...wanted },
      body: { query: { match_all: {} } },
    });
    expect(res.status).toBe(200);
    const arrived = last();
    // content-type and accept are the proxy's own on tenancy endpoints: JSON in, JSON back.
    expect(names(arrived)).toEqual(['content-type', 'traceparent', 'x-opaque-id', 'x-request-id', 'x-team']);
    expect(arrived.headers['content-type']).toBe('application/json');
    expect(arrived.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
    expect(arrived.headers['x-request-id']).not.toBe('client-correlation');
    expect(String(arrived.headers.traceparent)).toContain('0af7651916cd43dd8448eb211c80319c');
  });

  it('passthrough relays accept-encoding (its reply is untouched) and nothing hostile', async () => {
    const res = await fetch(`${proxy.url}/legacy-x/_search`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer tok-ops',
        'content-type': 'application/json',
        'accept-encoding': 'gzip',
        ...hostile,
      },
      body: '{}',
    });
    await res.arrayBuffer();
    expect(names(last())).toEqual([
      'accept',
      'accept-encoding',
      'content-type',
      'traceparent',
      'x-request-id',
    ]);
  });

  it('decodes a gzip body before rewriting it; the cluster gets plain JSON without content-encoding', async () => {
    const res = await fetch(`${proxy.url}/orders/_doc/gz?refresh=true`, {
      method: 'PUT',
      headers: {
        authorization: 'Bearer tok-acme',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify({ item: 'zipped' })),
    });
    expect(res.status).toBe(201);
    const arrived = last();
    expect(arrived.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(arrived.body.toString())).toMatchObject({ item: 'zipped', _tenant: 'acme' });
    const got = await json(`${proxy.url}/orders/_doc/gz`, { headers: { authorization: 'Bearer tok-acme' } });
    expect(got.body).toMatchObject({ _id: 'gz', _source: { item: 'zipped' } });
  });

  it('refuses an unknown content-encoding (415) and a gzip body past the cap once decoded (413)', async () => {
    const before = relay.arrived.length;
    const odd = await json(`${proxy.url}/orders/_doc/x`, {
      method: 'PUT',
      headers: { authorization: 'Bearer tok-acme', 'content-encoding': 'compress' },
      raw: '{}',
    });
    expect(odd).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    const bomb = await fetch(`${proxy.url}/orders/_doc/y`, {
      method: 'PUT',
      headers: {
        authorization: 'Bearer tok-acme',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(`{"pad":"${'x'.repeat(9 * 1024 * 1024)}"}`),
    });
    expect(bomb.status).toBe(413);
    expect(relay.arrived.length).toBe(before);
  });

  it('refuses to start when the allowlist names an identity header', async () => {
    const { code, stderr } = await runProxyToExit([], {
      OSPROXY_FORWARD_HEADER_ALLOW: 'x-team,X-Proxy-User',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('forward_header_allow: x-proxy-user may never be forwarded');
  });
});
