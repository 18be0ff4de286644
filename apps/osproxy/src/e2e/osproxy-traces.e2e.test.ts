// issue 17 item 6: the built osproxy exports one span per request over OTLP/HTTP
// (from OTEL_EXPORTER_OTLP_ENDPOINT), continuing the client's W3C trace, with a
// child span per upstream call, and shape only: canary values never leave.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, startProxy } from './osproxy-process.fixture.js';
import { type RecordingRelay, startRecordingRelay } from './recording-relay.fixture.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, string> }[];
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const CANARIES = ['tokcanary9d1e', 'tenantcanary', 'idxcanary', 'valuecanary', 'querycanary', 'corrcanary'];

let emu: Emulator;
let relay: RecordingRelay;
let proxy: RunningProxy;
let collector: Server;
const bodies: string[] = [];
let exitCode: number | null = null;

beforeAll(async () => {
  emu = await startEmulator({ autoRefresh: false });
  relay = await startRecordingRelay(emu.url);
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const port = (collector.address() as AddressInfo).port;
  proxy = await startProxy({
    OSPROXY_UPSTREAM: relay.url,
    OSPROXY_TOKENS: 'tokcanary9d1e=app1:tenantcanary',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'osproxy-e2e',
  });
  const headers = {
    authorization: 'Bearer tokcanary9d1e',
    traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`,
    'x-request-id': 'corrcanary',
  };
  const written = await json(`${proxy.url}/idxcanary/_doc/1?refresh=true`, {
    method: 'PUT',
    headers,
    body: { note: 'valuecanary' },
  });
  expect(written.status).toBeLessThan(300);
  const searched = await json(`${proxy.url}/idxcanary/_search`, {
    headers,
    body: { query: { match: { note: 'querycanary' } } },
  });
  expect(searched.status).toBe(200);
  // SIGTERM drains and flushes the exporter before the process exits.
  exitCode = await proxy.stop();
});

afterAll(async () => {
  await proxy?.stop();
  await relay?.close();
  await emu?.close();
  await new Promise<void>((resolve) => collector?.close(() => resolve()));
});

function spans(): OtlpSpan[] {
  return bodies.flatMap((b) => {
    const parsed = JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
    return parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  });
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

describe('osproxy request traces over OTLP (issue 17)', () => {
  it('exits 0 after flushing its spans to the collector', () => {
    expect(exitCode).toBe(0);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.join('')).toContain('"stringValue":"osproxy-e2e"');
  });

  it('a request span continues the client trace: same trace id, parent = the client span', () => {
    const search = spans().find((s) => s.kind === 2 && s.name === 'Search');
    expect(search).toMatchObject({ traceId: TRACE_ID, parentSpanId: CLIENT_SPAN });
    expect(search?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(search?.spanId).not.toBe(CLIENT_SPAN);
    expect(attribute(search as OtlpSpan, 'http.response.status_code')).toBe('200');
    expect(attribute(search as OtlpSpan, 'osproxy.endpoint_kind')).toBe('Search');
  });

  it('each upstream call is a client span beneath its request span', () => {
    const all = spans();
    const servers = all.filter((s) => s.kind === 2);
    const upstream = all.filter((s) => s.kind === 3);
    expect(servers.length).toBe(2);
    expect(upstream.length).toBeGreaterThanOrEqual(2);
    for (const call of upstream) {
      expect(call.traceId).toBe(TRACE_ID);
      expect(servers.map((s) => s.spanId)).toContain(call.parentSpanId);
    }
    // The span id each upstream call propagated in `traceparent` is an exported span.
    const propagated = relay.arrived
      .map((a) => String(a.headers.traceparent ?? ''))
      .filter((t) => t.includes(TRACE_ID))
      .map((t) => t.split('-')[2]);
    expect(propagated.length).toBeGreaterThan(0);
    for (const id of propagated) expect(upstream.map((s) => s.spanId)).toContain(id);
  });

  it('never exports a token, tenant, index name, document value, query literal or correlation id', () => {
    const exported = bodies.join('\n');
    for (const canary of CANARIES) expect(exported).not.toContain(canary);
  });
});
