// flusso in `[pipeline] mode = "kafka"`: one `--role capture` process and 1, 2 and 3
// `--role worker` processes, the in-repo Kafka double as the broker, the rig's counting
// bulk endpoint as the sink. Prints changes/s per worker count (M updates, 1000 per
// transaction, until every touched row arrived with its last value), each process's CPU
// (utime + stime from /proc), and the lag the broker hop adds: commit → bulk request
// under the same steady load in single-process mode and in kafka mode (1 worker).
import { startKafkaDouble } from '@flusso/kafka-double';
import { onCleanup } from './cleanup.js';
import { cpuSeconds } from './cpu.js';
import { finalValues, watchFinal } from './final-values.js';
import { FlussoProcess } from './flusso-process.js';
import { type LagFigures, steadyLag } from './lag.js';
import { type Line, ratio, report } from './report.js';
import type { Rig } from './rig.js';
import { sleep, until } from './until.js';
import { applyUpdates } from './updates.js';

const PARTITIONS = 6;
const LAG_SECONDS = 10;

/** M updates as `label`; seconds from the first write until all of them are delivered. */
async function timedWorkload(rig: Rig, label: string, changes: number, guard: () => void): Promise<number> {
  const done = watchFinal(rig.tap, finalValues(label, changes, 1000, rig.rows));
  const start = performance.now();
  await applyUpdates(rig.db, label, changes, 1000, rig.rows);
  return ((await until(`${label} delivered`, done, { guard })) - start) / 1000;
}

function lagLines(mode: string, lag: LagFigures): Line[] {
  return [
    [`${mode} lag p50`, lag.p50Ms, 'ms'],
    [`${mode} lag p99`, lag.p99Ms, 'ms'],
    [`${mode} lag samples`, lag.samples, 'txns'],
  ];
}

export async function kafkaBench(rig: Rig, changes: number): Promise<void> {
  // Single-process mode, the reference: its rate, then its lag at a quarter of that rate.
  const single = await rig.ensureLive();
  const singleSecs = await timedWorkload(rig, 'single', changes, single.assertRunning);
  const singleRate = changes / singleSecs;
  const steadyRate = singleRate / 4;
  const singleLag = await steadyLag(rig, steadyRate, LAG_SECONDS, 'lag1');
  await rig.stopFlusso();

  const kafka = await startKafkaDouble({ partitions: PARTITIONS });
  const closeKafka = onCleanup(() => kafka.close());
  const topic = `${rig.slot}_changes`;
  const config = rig.configWith(
    'kafka',
    `[pipeline]\nmode = "kafka"\nbrokers = ["${kafka.brokers[0]}"]\ntopic = "${topic}"\n` +
      `partitions = ${PARTITIONS}\ngroup = "${topic}"\nsession_timeout_secs = 6\n`,
  );
  const slot = `${rig.slot}_kafka`;
  const start = (role: string, more: string[] = []) =>
    FlussoProcess.start({
      config,
      dbUrl: rig.db.url,
      osUrl: rig.tap.url,
      slot,
      publication: slot,
      extraArgs: ['--role', role, ...more],
    });
  const capture = await start('capture', ['--skip-backfill']);
  const stopCapture = onCleanup(() => capture.stop());
  const lines: Line[] = [['single-process', singleRate, 'changes/s']];
  let kafkaLag: LagFigures | undefined;
  try {
    await until(
      'the kafka capture slot active',
      async () => {
        const [row] = await rig.db.sql<{ active: boolean }>(
          `SELECT active FROM pg_replication_slots WHERE slot_name = '${slot}'`,
        );
        return row?.active ? true : undefined;
      },
      { guard: capture.assertRunning, everyMs: 200 },
    );
    for (const n of [1, 2, 3]) {
      const workers: FlussoProcess[] = [];
      for (let k = 0; k < n; k++) workers.push(await start('worker'));
      const guard = () => {
        capture.assertRunning();
        for (const w of workers) w.assertRunning();
      };
      try {
        // Every worker joined: a delivered marker, then a few heartbeats for the rebalance.
        await timedWorkload(rig, `warm${n}`, Math.min(changes, 1000), guard);
        await sleep(4000);
        await timedWorkload(rig, `warm${n}b`, Math.min(changes, 1000), guard);
        const cpu0 = [capture, ...workers].map((p) => cpuSeconds(p.pid));
        const secs = await timedWorkload(rig, `kafka${n}`, changes, guard);
        const cpu = [capture, ...workers].map((p, i) => cpuSeconds(p.pid) - (cpu0[i] ?? 0));
        const rate = changes / secs;
        lines.push(
          [`kafka ${n} worker${n > 1 ? 's' : ''}`, rate, 'changes/s'],
          [`kafka ${n}w ratio kafka/single-process`, ratio(rate, singleRate), ''],
          [`kafka ${n}w capture CPU`, cpu[0] ?? null, 's'],
          ...workers.map((_, i): Line => [`kafka ${n}w worker ${i + 1} CPU`, cpu[i + 1] ?? null, 's']),
          [`kafka ${n}w time`, secs, 's'],
        );
        if (n === 1) kafkaLag = await steadyLag(rig, steadyRate, LAG_SECONDS, 'lagk', guard);
      } finally {
        for (const w of workers) await w.stop();
      }
    }
  } finally {
    stopCapture();
    await capture.stop();
    await rig.db.sql(`SELECT pg_drop_replication_slot('${slot}')`).catch(() => undefined);
    closeKafka();
    await kafka.close();
  }
  lines.push(
    ['steady load (lag, both modes)', steadyRate, 'changes/s'],
    ...lagLines('single-process', singleLag),
  );
  if (kafkaLag !== undefined) {
    lines.push(...lagLines('kafka 1w', kafkaLag));
    const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    lines.push(
      ['broker hop added lag p50', add(kafkaLag.p50Ms, singleLag.p50Ms), 'ms'],
      ['broker hop added lag p99', add(kafkaLag.p99Ms, singleLag.p99Ms), 'ms'],
    );
  }
  report('kafka', { rows: rig.rows, changes }, lines);
}
