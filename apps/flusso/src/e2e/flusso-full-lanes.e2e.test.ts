// issue 17: on_full = "drop" through the built binary. A slow best-effort sink
// (a second OpenSearch answering every request late) drops live batches, counted
// in /status and /metrics, and never holds the primary sink or the confirmed
// position: the primary index still equals the SQL with nothing in flight.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  churn,
  demoDir,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  startFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

let db: TestDatabase;
let primary: Emulator;
let audit: Emulator;
let flusso: RunningFlusso | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  primary = await startEmulator();
  audit = await startEmulator();
});
afterAll(async () => {
  flusso?.proc.kill('SIGKILL');
  await flusso?.exited;
  await primary?.close();
  await audit?.close();
  await db?.close();
});

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

describe('issue-17 full lanes', () => {
  it('a slow on_full = "drop" sink drops live batches without holding the primary sink', async () => {
    const { config } = writeConfig(
      `\n[sinks.audit]\ntype = "opensearch"\nurl = "${audit.url}"\nnumber_of_replicas = 0\non_full = "drop"\n`,
    );
    const f = await startFlusso({ config, dbUrl: db.url, osUrl: primary.url });
    flusso = f;
    await waitFor(
      'live',
      () => f.status(),
      (s) => s?.phase === 'live' && s.changes_in_flight === 0,
      30_000,
    );
    audit.faults.delayMs = 2_000;
    await churn(db, 3_000);
    const status = await waitFor(
      'nothing in flight while the audit sink is still slow',
      () => f.status(),
      (s) => s?.changes_in_flight === 0,
      25_000,
    );
    const dropped = (status?.dropped_batches as Record<string, number> | undefined)?.audit ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(status?.dropped_batches).not.toHaveProperty('primary');
    const expected = await expectedDocs(db.url);
    await waitFor(
      'primary equals SQL',
      () => indexDocs(primary.url),
      (docs) => same(docs, expected),
      10_000,
    );
    const metrics = await (await fetch(`${f.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(/flusso_batches_dropped_total\{sink="audit"\} [1-9]/);
    expect(f.stderr()).toContain('live batch dropped');
    audit.faults.delayMs = 0;
  }, 90_000);
});
