import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OtlpExporter } from '@flusso/app-kit';
import { parseIndexName } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { Status, statusObserver } from '@flusso/daemon';
import { afterEach, describe, expect, it } from 'vitest';
import { traceObserver } from './trace-observer.js';

interface Received {
  path: string;
  body: {
    resourceSpans: {
      scopeSpans: {
        spans: {
          name: string;
          traceId: string;
          startTimeUnixNano: string;
          endTimeUnixNano: string;
          attributes: { key: string; value: Record<string, string> }[];
        }[];
      }[];
    }[];
  };
}

let server: Server | null = null;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

function collector(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const listening = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  server = listening;
  return new Promise((resolve) =>
    listening.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, received }),
    ),
  );
}

describe('OTLP traces', () => {
  it('exports backfill, flush and batch spans as OTLP JSON with shape-only attributes', async () => {
    const { url, received } = await collector();
    const exporter = new OtlpExporter({ endpoint: url, intervalMs: 60_000 });
    const users = parseIndexName('users');
    const status = new Status([users], new ManualClock(0));
    let t = 1_000;
    const observers = [
      statusObserver(status),
      traceObserver(
        exporter,
        () => status,
        () => t,
      ),
    ];
    const each = (f: (o: (typeof observers)[number]) => void) => observers.forEach(f);
    each((o) => o.onBackfillStarted?.(users, ['primary'], 10));
    t = 1_500;
    each((o) => o.onBackfillFinished?.(users, 10));
    each((o) => o.onFlushed?.({ sink: 'primary', documents: 3, micros: 250_000 }));
    each((o) => o.onBatchCommitted?.({ changes: 2, documents: 3 }));
    await exporter.close();
    expect(received.map((r) => r.path)).toEqual(['/v1/traces']);
    const spans = received[0]?.body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((s) => s.name)).toEqual(['flusso.backfill', 'flusso.flush', 'flusso.batch']);
    expect(spans[0]).toMatchObject({ startTimeUnixNano: '1000000000', endTimeUnixNano: '1500000000' });
    expect(spans[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans[1]).toMatchObject({ startTimeUnixNano: '1250000000', endTimeUnixNano: '1500000000' });
    expect(spans[1]?.attributes).toEqual([
      { key: 'sink', value: { stringValue: 'primary' } },
      { key: 'documents', value: { intValue: '3' } },
    ]);
  });

  it('drops spans and reports once while the collector fails, never throwing', async () => {
    const { url } = await collector(500);
    const errors: string[] = [];
    const exporter = new OtlpExporter({
      endpoint: url,
      intervalMs: 60_000,
      onExportError: (m) => errors.push(m),
    });
    const span = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      name: 'x',
      startMs: 0,
      endMs: 1,
      attributes: {},
    };
    exporter.add(span);
    await exporter.flush();
    exporter.add(span);
    await exporter.close();
    expect(errors).toEqual(['collector answered 500']);
  });
});
