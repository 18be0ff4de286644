// issue 17: `flusso run --otlp-endpoint` exports OpenTelemetry spans (OTLP/HTTP
// JSON) of the backfill, each flush and each confirmed batch, with shape-only
// attributes: no document value ever reaches the collector.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDir, type RunningFlusso, startFlusso, waitFor, writeConfig } from './flusso-process.fixture.js';

let db: TestDatabase;
let emu: Emulator;
let collector: Server;
let collectorUrl = '';
const bodies: string[] = [];
let flusso: RunningFlusso | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  emu = await startEmulator();
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((done) => collector.listen(0, '127.0.0.1', () => done()));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  flusso?.proc.kill('SIGKILL');
  await flusso?.exited;
  await new Promise<void>((done) => collector.close(() => done()));
  await emu?.close();
  await db?.close();
});

const spanNames = () =>
  bodies.flatMap((b) =>
    (
      JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }
    ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))),
  );

describe('issue-17 traces', () => {
  it('exports backfill, flush and batch spans and never a document value', async () => {
    const f = await startFlusso({
      config: writeConfig().config,
      dbUrl: db.url,
      osUrl: emu.url,
      extra: ['--otlp-endpoint', collectorUrl],
    });
    flusso = f;
    await waitFor(
      'live',
      () => f.status(),
      (s) => s?.phase === 'live',
      30_000,
    );
    await db.sql("UPDATE users SET full_name = 'Canary Value 4711' WHERE id = 3");
    const names = await waitFor(
      'backfill, flush and batch spans',
      async () => spanNames(),
      (n) => ['flusso.backfill', 'flusso.flush', 'flusso.batch'].every((x) => n.includes(x)),
      20_000,
    );
    expect(names.length).toBeGreaterThan(2);
    const all = bodies.join('\n');
    expect(all).not.toContain('Canary Value 4711');
    expect(all).not.toContain('User Number');
    expect(all).not.toContain('@example.com');
  }, 90_000);
});
