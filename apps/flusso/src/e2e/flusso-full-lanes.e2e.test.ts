// issue 17: on_full = "drop" through the built binary. A slow best-effort sink
// (a second OpenSearch answering every request late) drops live batches, counted
// in /status and /metrics, and never holds the primary sink or the confirmed
// position: the primary index still equals the SQL with nothing in flight.
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import { caughtUp, churn, expectedDocs, indexDocs, waitFor, writeConfig } from './flusso-process.fixture.js';

const rig = useDemoRig();
let audit: Emulator;

beforeAll(async () => {
  audit = await startEmulator();
});
afterAll(async () => {
  await audit?.close();
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
    const f = await rig.start(config);
    await caughtUp(f);
    audit.faults.delayMs = 2_000;
    await churn(rig.db, 3_000);
    const status = await waitFor(
      'nothing in flight while the audit sink is still slow',
      () => f.status(),
      (s) => s?.changes_in_flight === 0,
      25_000,
    );
    const dropped = (status?.dropped_batches as Record<string, number> | undefined)?.audit ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(status?.dropped_batches).not.toHaveProperty('primary');
    const expected = await expectedDocs(rig.db.url);
    await waitFor(
      'primary equals SQL',
      () => indexDocs(rig.emu.url),
      (docs) => same(docs, expected),
      10_000,
    );
    const metrics = await (await fetch(`${f.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(/flusso_batches_dropped_total\{sink="audit"\} [1-9]/);
    expect(f.stderr()).toContain('live batch dropped');
    audit.faults.delayMs = 0;
  }, 90_000);
});
