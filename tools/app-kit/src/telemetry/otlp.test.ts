import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { otlpOptionsFromEnv } from './otlp-env.js';
import { OtlpExporter } from './otlp-exporter.js';

let server: Server | undefined;
afterEach(() => server?.close());

function collector(): Promise<{ url: string; received: Promise<{ path: string; body: string }> }> {
  return new Promise((ready) => {
    let deliver: (r: { path: string; body: string }) => void = () => {};
    const received = new Promise<{ path: string; body: string }>((r) => (deliver = r));
    const listener = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end();
        deliver({ path: req.url ?? '', body });
      });
    });
    server = listener;
    listener.listen(0, '127.0.0.1', () =>
      ready({ url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`, received }),
    );
  });
}

describe('otlpOptionsFromEnv', () => {
  it('is off without an endpoint, prefers the traces URL, and takes OTEL_SERVICE_NAME', () => {
    expect(otlpOptionsFromEnv({}, 'osproxy')).toBeUndefined();
    expect(otlpOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, 'osproxy')).toEqual({
      endpoint: 'http://c:4318',
      serviceName: 'osproxy',
    });
    expect(
      otlpOptionsFromEnv(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x',
          OTEL_SERVICE_NAME: 'edge',
        },
        'osproxy',
      ),
    ).toEqual({ tracesUrl: 'http://t/x', serviceName: 'edge' });
  });
});

describe('OtlpExporter', () => {
  it('posts to the full traces URL with the service name and the parent span', async () => {
    const { url, received } = await collector();
    const exporter = new OtlpExporter({ tracesUrl: `${url}/custom/traces`, serviceName: 'osproxy' });
    exporter.add({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      parentSpanId: 'c'.repeat(16),
      kind: 2,
      name: 'search',
      startMs: 1,
      endMs: 2,
      attributes: { 'http.status_code': 200 },
    });
    await exporter.close();
    const { path, body } = await received;
    expect(path).toBe('/custom/traces');
    expect(body).toContain('"stringValue":"osproxy"');
    expect(JSON.parse(body).resourceSpans[0].scopeSpans[0].spans[0]).toMatchObject({
      name: 'search',
      parentSpanId: 'c'.repeat(16),
      kind: 2,
    });
  });
});
