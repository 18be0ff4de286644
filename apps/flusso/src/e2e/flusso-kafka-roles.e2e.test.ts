// What each Kafka-mode process reports about its roles, through the built binary:
// a worker-only process's /status follows the live state (the capture's backfill
// seeding the index, the group's committed offsets over the topic), not what it saw
// when it joined; and with both roles in one process, a worker that fails (the
// broker refuses its fetches) shows `stopped` with the failing role named, is
// restarted in place, and the phase returns to `live` with nothing lost. A worker
// asked to stop while it is still joining its group stops (regression: it hung).
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ErrorCode, type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';

const rig = useDemoRig();
let broker: KafkaDouble;
beforeAll(async () => {
  broker = await startKafkaDouble();
});
afterAll(async () => {
  await broker?.close();
});

/** Kafka mode on topic and group `name`, with its own index prefix (slot and publication: `slot`). */
function kafkaConfig(name: string): string {
  const { config } = writeConfig();
  writeFileSync(
    config,
    `prefix = "${name}_"\n${readFileSync(config, 'utf8')}\n[pipeline]\nmode = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "${name}"\npartitions = 3\ngroup = "${name}"\nsession_timeout_secs = 6\n`,
  );
  return config;
}

const slotFlags = (name: string) => ['--slot', name, '--publication', name];

interface WorkerStatus {
  readonly phase?: string;
  readonly indexes?: Record<string, string>;
  readonly roles?: Record<string, { state: string; restarts: number; last_error: string | null }>;
  readonly worker?: {
    group_progress: { topic_records: number; committed_records: number; pending_records: number } | null;
  };
}

async function status(f: RunningFlusso): Promise<WorkerStatus> {
  return ((await f.status()) ?? {}) as WorkerStatus;
}

async function converged(name: string, what: string): Promise<void> {
  const truth = await expectedDocs(rig.db.url);
  await waitFor(
    what,
    () => indexDocs(rig.emu.url, `${name}_users`),
    (docs) => isDeepStrictEqual(docs, truth),
    60_000,
  );
}

describe('Kafka mode roles on /status', () => {
  it('a worker-only process shows the current index state and the group’s committed progress', async () => {
    const config = kafkaConfig('wstatus');
    // The worker joins before any capture: nothing is seeded yet.
    const worker = await rig.start(config, ['--role', 'worker', ...slotFlags('wstatus')]);
    const joined = await waitFor(
      'the worker joined',
      () => status(worker),
      (s) => s.roles?.worker?.state === 'running' && s.worker?.group_progress != null,
      60_000,
    );
    expect(joined).toMatchObject({ phase: 'backfilling', indexes: { users: 'pending' } });

    await rig.start(config, ['--role', 'capture', ...slotFlags('wstatus')]);
    await converged('wstatus', 'the backfill through the worker');
    // Seeded by the capture, and every record in the topic committed by the group.
    const seeded = await waitFor(
      'the worker status to follow',
      () => status(worker),
      (s) =>
        s.phase === 'live' &&
        s.indexes?.users === 'seeded' &&
        s.worker?.group_progress?.pending_records === 0 &&
        s.worker.group_progress.topic_records === broker.records('wstatus').length,
      30_000,
    );
    const before = seeded.worker?.group_progress?.committed_records ?? 0;
    expect(before).toBeGreaterThan(0);

    await rig.db.sql("UPDATE users SET full_name = 'Status Follows' WHERE id = 4");
    await converged('wstatus', 'the live change');
    const after = await waitFor(
      'the committed progress to move',
      () => status(worker),
      (s) =>
        (s.worker?.group_progress?.committed_records ?? 0) > before &&
        s.worker?.group_progress?.pending_records === 0,
      30_000,
    );
    expect(after.worker?.group_progress?.committed_records).toBe(broker.records('wstatus').length);
  }, 180_000);

  it('with both roles in one process, a failed worker shows stopped, restarts, and the phase returns to live', async () => {
    const config = kafkaConfig('rall');
    const flusso = await rig.start(config, slotFlags('rall'));
    await converged('rall', 'the backfill');
    await waitFor(
      'live',
      () => status(flusso),
      (s) => s.phase === 'live',
      30_000,
    );

    // The broker refuses the worker's fetches (a non-retriable answer): its consumer gives up.
    broker.failFetch(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    const down = await waitFor(
      'the worker reported down',
      () => status(flusso),
      (s) => s.phase === 'stopped' && s.roles?.worker?.state === 'restarting',
      60_000,
    );
    expect(down.roles).toMatchObject({
      capture: { state: 'running' },
      worker: { last_error: 'sink_transient' },
    });
    expect((await fetch(`${flusso.publicUrl}/readyz`)).status).toBe(503);
    // Captured while the worker is down; applied once it is back.
    await rig.db.sql("UPDATE users SET full_name = 'While The Worker Was Down' WHERE id = 6");

    broker.failFetch(null);
    const back = await waitFor(
      'the worker back and the phase live',
      () => status(flusso),
      (s) => s.phase === 'live' && s.roles?.worker?.state === 'running',
      60_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 400)}\n${flusso.stderr().slice(-1500)}`);
    });
    expect(back.roles?.worker?.restarts).toBeGreaterThanOrEqual(1);
    await converged('rall', 'the change made while the worker was down');
    expect((await fetch(`${flusso.publicUrl}/readyz`)).status).toBe(200);
  }, 180_000);

  it('a worker SIGTERMed while it is still joining its group exits 0', async () => {
    const config = kafkaConfig('wjoin');
    const gone = await rig.start(config, ['--role', 'worker', ...slotFlags('wjoin')]);
    await waitFor(
      'the first worker joined',
      () => status(gone),
      (s) => s.roles?.worker?.state === 'running',
      60_000,
    );
    // Killed: the group waits for its session timeout before the next member's join completes.
    gone.proc.kill('SIGKILL');
    await gone.exited;
    const joining = await rig.start(config, ['--role', 'worker', ...slotFlags('wjoin')]);
    await waitFor(
      'the second worker joining',
      () => status(joining),
      (s) => s.roles?.worker?.state === 'starting',
    );
    joining.proc.kill('SIGTERM');
    expect(await joining.exited).toBe(0);
  }, 120_000);
});
