// Fault tests: the built binary killed at random moments, Postgres dropping its
// connections, and an OpenSearch outage,
// each ending with every document compared against what the SQL builds.
import { describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  caughtUp,
  churn,
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const rig = useDemoRig();

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startLive(config: string): Promise<RunningFlusso> {
  const f = await rig.start(config);
  await caughtUp(f);
  return f;
}

/** Waits until every document in the index equals what the SQL builds from the final rows; returns how many. */
async function indexEqualsSql(what: string, timeoutMs: number): Promise<number> {
  const expected = await expectedDocs(rig.db.url);
  await waitFor(
    what,
    () => indexDocs(rig.emu.url),
    (docs) => same(docs, expected),
    timeoutMs,
  );
  return Object.keys(expected).length;
}

/** The process went through a transient-failure restart and is live again, not exited. */
async function expectRestartedAndLive(f: RunningFlusso): Promise<void> {
  expect(f.proc.exitCode).toBeNull();
  // The index can equal the SQL while the last restart's backoff still runs: live comes after.
  await waitFor(
    'live again',
    () => f.status(),
    (s) => s?.phase === 'live',
    30_000,
  );
  expect(f.stderr()).toContain('pipeline stopped on a transient failure; restarting');
}

describe('flusso under faults', () => {
  it('keeps every document equal to the SQL through 10 SIGKILLs at random moments of a live load', async () => {
    const { config } = writeConfig();
    let writing = true;
    const writer = (async () => {
      while (writing) await churn(rig.db, 200);
    })();
    for (let kill = 0; kill < 10; kill++) {
      const f = await rig.start(config);
      await sleep(300 + Math.floor(Math.random() * 1500));
      f.proc.kill('SIGKILL');
      await f.exited;
    }
    writing = false;
    await writer;
    const last = await rig.start(config);
    const compared = await indexEqualsSql('index equals SQL after the crash loop', 60_000);
    expect(compared).toBeGreaterThan(150);
    expect((await last.status())?.errors).toBe(0);
  }, 180_000);

  it('reconnects when Postgres drops its connections mid-load, and loses nothing', async () => {
    const { config } = writeConfig();
    const f = await startLive(config);
    let writing = true;
    const writer = (async () => {
      while (writing) await churn(rig.db, 200);
    })();
    // What a failover or an administrator's pg_terminate_backend does to flusso's
    // replication stream and build queries (the writer's own session survives).
    for (let drop = 0; drop < 3; drop++) {
      await sleep(800);
      await rig.db.sql(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
    }
    writing = false;
    await writer;
    await indexEqualsSql('index equals SQL after the dropped connections', 60_000);
    await expectRestartedAndLive(f);
  }, 120_000);

  it.skipIf(process.env.DATABASE_URL !== undefined)(
    'rides out a Postgres restart (down 3 s) under load, then catches up with nothing lost',
    async () => {
      const { config } = writeConfig();
      const f = await startLive(config);
      await churn(rig.db, 500);
      // Clean: the shutdown did not wait on flusso (the harness forces one after 180 s).
      expect((await rig.db.cluster?.restart({ downMs: 3_000 }))?.fastStop).toBe('clean');
      await churn(rig.db, 1_000);
      await indexEqualsSql('index equals SQL after the restart', 60_000);
      await expectRestartedAndLive(f);
    },
    // The restart itself waits for flusso to confirm what it was sent (see README).
    300_000,
  );

  it.skipIf(process.env.DATABASE_URL !== undefined)(
    'started while Postgres is down, keeps retrying and goes live once it is up',
    async () => {
      const restarting = rig.db.cluster?.restart({ downMs: 4_000 });
      await sleep(1_000); // the server is down now
      const { config } = writeConfig();
      const f = await rig.start(config);
      await restarting;
      await waitFor(
        'live after Postgres came up',
        () => f.status(),
        (s) => s?.phase === 'live',
        60_000,
      );
      await churn(rig.db, 300);
      await indexEqualsSql('index equals SQL once Postgres is up', 30_000);
      await expectRestartedAndLive(f);
    },
    120_000,
  );

  it('a second instance on the same slot waits as a standby and takes over when the first stops', async () => {
    const { config } = writeConfig();
    const first = await startLive(config);
    const standby = await rig.start(config);
    await waitFor(
      'the standby finds the slot taken',
      async () => standby.stderr(),
      (text) => text.includes('pipeline stopped on a transient failure; restarting'),
      15_000,
    );
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await churn(rig.db, 300);
    await waitFor(
      'the standby goes live',
      () => standby.status(),
      (s) => s?.phase === 'live',
      30_000,
    );
    await indexEqualsSql('index equals SQL after the takeover', 30_000);
    expect(standby.proc.exitCode).toBeNull();
  }, 90_000);

  it('rides out a 10 s OpenSearch outage: retries, shows it on /readyz and /status, then catches up', async () => {
    const { config } = writeConfig();
    const f = await startLive(config);
    const readyz = async () => (await fetch(`${f.publicUrl}/readyz`)).status;
    expect(await readyz()).toBe(200);
    rig.emu.faults.refuseConnections = true;
    const outageStart = Date.now();
    await churn(rig.db, 1000);
    await waitFor('readyz reports the outage', readyz, (s) => s === 503, 10_000);
    expect(((await f.status())?.sinks as Record<string, string> | undefined)?.primary).toBe('retrying');
    await sleep(Math.max(0, 10_000 - (Date.now() - outageStart)));
    rig.emu.faults.refuseConnections = false;
    await waitFor('readyz recovers', readyz, (s) => s === 200, 30_000);
    await indexEqualsSql('index equals SQL after the outage', 30_000);
    expect(((await f.status())?.sinks as Record<string, string> | undefined)?.primary).toBe('ok');
  }, 90_000);
});
