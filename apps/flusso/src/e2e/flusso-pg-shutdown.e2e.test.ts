// An operator's fast Postgres shutdown while flusso holds documents it cannot deliver
// yet (the sink is down): Postgres ends flusso's ordinary sessions, then waits for the
// walsender's client to confirm what it was sent. flusso must let go of the stream
// (it restarts from its confirmed position later) instead of holding the shutdown.
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import { caughtUp, churn, expectedDocs, indexDocs, waitFor, writeConfig } from './flusso-process.fixture.js';

const rig = useDemoRig();

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

// A clean shutdown takes about a second; without flusso letting go it lasted until the
// sink's retries ran out (~35 s), and with a build held, for as long as flusso ran.
const FAST_STOP_S = 20;

describe('a fast Postgres shutdown with documents pending', () => {
  it.skipIf(process.env.DATABASE_URL !== undefined)(
    'completes while the sink is down, and flusso catches up with nothing lost once both are back',
    async () => {
      const { config } = writeConfig();
      const f = await rig.start(config);
      await caughtUp(f);
      rig.emu.faults.refuseConnections = true;
      await churn(rig.db, 500);
      await waitFor(
        'the sink retrying with documents pending',
        () => f.status(),
        (s) => (s?.sinks as Record<string, string> | undefined)?.primary === 'retrying',
        20_000,
      );
      const outcome = await rig.db.cluster?.restart({ downMs: 1_000, fastStopTimeoutS: FAST_STOP_S });
      expect(outcome?.fastStop).toBe('clean');
      rig.emu.faults.refuseConnections = false;
      await churn(rig.db, 300);
      const expected = await expectedDocs(rig.db.url);
      await waitFor(
        'index equals SQL after the shutdown',
        () => indexDocs(rig.emu.url),
        (docs) => same(docs, expected),
        90_000,
      );
      expect(f.proc.exitCode).toBeNull();
      await waitFor(
        'live again',
        () => f.status(),
        (s) => s?.phase === 'live',
        30_000,
      );
      expect(f.stderr()).toContain('pipeline stopped on a transient failure; restarting');
    },
    240_000,
  );
});
