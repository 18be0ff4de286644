// issue 18 item 1, flusso over Kafka through the built binary: one capture process
// and three worker processes sync the demo schema while a load runs; a worker is
// SIGKILLed and another joins mid-load; at the end every document equals the SQL
// truth (nothing lost with the killed worker, no stale build left behind).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
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
let emu: Emulator;
let broker: KafkaDouble;
const procs: RunningFlusso[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  emu = await startEmulator();
  broker = await startKafkaDouble();
});
afterAll(async () => {
  for (const p of procs) p.proc.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await broker?.close();
  await emu?.close();
  await db?.close();
});

function kafkaConfig(name = 'flusso-e2e', prefix = ''): string {
  const { config } = writeConfig();
  const toml = readFileSync(config, 'utf8');
  writeFileSync(
    config,
    `prefix = "${prefix}"\n${toml}\n[pipeline]\nmode = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "${name}"\npartitions = 6\ngroup = "${name}"\nsession_timeout_secs = 6\n`,
  );
  return config;
}

async function start(config: string, role: 'capture' | 'worker'): Promise<RunningFlusso> {
  const p = await startFlusso({ config, dbUrl: db.url, osUrl: emu.url, extra: ['--role', role] });
  procs.push(p);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('flusso over Kafka', () => {
  it('one capture and three workers converge on the SQL truth through a kill and a join under load', async () => {
    const config = kafkaConfig();
    const capture = await start(config, 'capture');
    // The capture creates the index and produces the backfill chunks before any worker starts.
    await waitFor(
      'the index and the change topic',
      async () => ({
        index: (await fetch(`${emu.url}/users`)).status,
        records: broker.records('flusso-e2e').length,
      }),
      (s) => s.index === 200 && s.records > 0,
      30_000,
    ).catch((error) => {
      throw new Error(`${String(error)}\ncapture stderr: ${capture.stderr().slice(-2000)}`);
    });
    const workers = [
      await start(config, 'worker'),
      await start(config, 'worker'),
      await start(config, 'worker'),
    ];
    const truth0 = await expectedDocs(db.url);
    await waitFor(
      'the backfill',
      () => indexDocs(emu.url),
      (docs) => isDeepStrictEqual(docs, truth0),
      60_000,
    );

    const load = churn(db, 8_000);
    await sleep(2_000);
    workers[0]?.proc.kill('SIGKILL');
    await sleep(2_000);
    workers.push(await start(config, 'worker'));
    await load;
    await db.sql("UPDATE users SET full_name = 'after the load' WHERE id = 1");

    const truth = await expectedDocs(db.url);
    const last = await waitFor(
      'every document equal to the SQL truth',
      () => indexDocs(emu.url),
      (docs) => isDeepStrictEqual(docs, truth),
      60_000,
    ).catch(async (error) => {
      const docs = await indexDocs(emu.url);
      const differ = Object.keys(truth).filter((id) => !isDeepStrictEqual(docs[id], truth[id]));
      throw new Error(
        `${String(error).slice(0, 200)}\n${differ.length} document(s) differ: ${differ.slice(0, 10).join(',')}\n` +
          `worker stderr: ${workers.at(-1)?.stderr().slice(-2000)}`,
      );
    });
    expect(Object.keys(last).length).toBe(Object.keys(truth).length);
    expect((last['1'] as { fullName?: string }).fullName).toBe('after the load');
    for (const p of [capture, ...workers.slice(1)]) p.proc.kill('SIGTERM');
    await Promise.all([capture, ...workers.slice(1)].map((p) => p.exited));
  }, 240_000);

  it('runs both roles in one process by default (--role all)', async () => {
    const config = kafkaConfig('flusso-all', 'all_');
    const p = await startFlusso({
      config,
      dbUrl: db.url,
      osUrl: emu.url,
      extra: ['--slot', 'flusso_all', '--publication', 'flusso_all'],
    });
    procs.push(p);
    await db.sql("UPDATE users SET full_name = 'one process' WHERE id = 2");
    const truth = await expectedDocs(db.url);
    await waitFor(
      'every document equal to the SQL truth',
      () => indexDocs(emu.url, 'all_users'),
      (docs) => isDeepStrictEqual(docs, truth),
      60_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 200)}\nstderr: ${p.stderr().slice(-2000)}`);
    });
    p.proc.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 120_000);
});
