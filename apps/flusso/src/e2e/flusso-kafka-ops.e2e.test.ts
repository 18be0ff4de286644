// The operational surface of Kafka mode through the built binary: each role serves
// /status, /readyz and /metrics (capture: LSNs and records produced; worker:
// committed offsets and documents written per partition); a document the sink
// rejects under on_error = "skip" lands in the dead-letter store (`flusso dlq
// list`), later documents keep flowing, and `flusso dlq replay` lands it once fixed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDemoRig } from './demo-rig.fixture.js';
import {
  expectedDocs,
  indexDocs,
  type RunningFlusso,
  runFlusso,
  waitFor,
  writeConfig,
} from './flusso-process.fixture.js';
import { scoreColumnSql, scoreSchemaText } from './rejectable-score.fixture.js';

const rig = useDemoRig(scoreColumnSql);
let broker: KafkaDouble;
beforeAll(async () => {
  broker = await startKafkaDouble();
});
afterAll(async () => {
  await broker?.close();
});

const schemaFile = (dir: string) => join(dir, 'users.schema.yml');

function kafkaConfig(name: string, prefix = ''): { config: string; dir: string } {
  const { config, dir } = writeConfig('', scoreSchemaText);
  writeFileSync(
    config,
    `on_error = "skip"\nprefix = "${prefix}"\n${readFileSync(config, 'utf8')}\n[pipeline]\nmode = "kafka"\nbrokers = ["${broker.brokers[0]}"]\ntopic = "${name}"\npartitions = 3\ngroup = "${name}"\nsession_timeout_secs = 6\n`,
  );
  return { config, dir };
}

async function json(url: string): Promise<Record<string, unknown>> {
  return (await (await fetch(url)).json()) as Record<string, unknown>;
}

async function metrics(f: RunningFlusso): Promise<string> {
  return (await fetch(`${f.publicUrl}/metrics`)).text();
}

/** The value of one sample line of the Prometheus text (`name{labels}`), or null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('Kafka mode: status, metrics and dead letters', () => {
  it('serves each role’s status and metrics, keeps a rejected document as a dead letter, and replays it', async () => {
    const { config, dir } = kafkaConfig('flusso-ops');
    const capture = await rig.start(config, ['--role', 'capture']);
    const worker = await rig.start(config, ['--role', 'worker']);
    const truth0 = await expectedDocs(rig.db.url, schemaFile(dir));
    await waitFor(
      'the backfill',
      () => indexDocs(rig.emu.url),
      (docs) => isDeepStrictEqual(docs, truth0),
      60_000,
    ).catch((error) => {
      throw new Error(`${String(error).slice(0, 300)}\nworker: ${worker.stderr().slice(-2000)}`);
    });

    // A document the index refuses (text in an integer field), then one it takes.
    await rig.db.sql("UPDATE users SET score = 'nope', full_name = 'Kafka Letter' WHERE id = 9");
    await rig.db.sql("UPDATE users SET full_name = 'after the letter' WHERE id = 10");
    await waitFor(
      'the later document',
      async () => (await indexDocs(rig.emu.url))['10'] as { fullName?: string } | undefined,
      (doc) => doc?.fullName === 'after the letter',
      30_000,
    );
    const env = { DATABASE_URL: rig.db.url, PRIMARY_OPENSEARCH_URL: rig.emu.url };
    const list = async () =>
      JSON.parse((await runFlusso(['dlq', 'list', '--config', config, '--format', 'json'], env)).stdout) as {
        id: string;
        sink: string;
        lsn: string | null;
        error: { type: string };
        document: Record<string, unknown> | null;
      }[];
    const letters = await list();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      id: '9',
      sink: 'primary',
      error: { type: 'mapper_parsing_exception' },
      document: { score: 'nope', fullName: 'Kafka Letter' },
    });
    expect(letters[0]?.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect((await indexDocs(rig.emu.url))['9']).not.toMatchObject({ fullName: 'Kafka Letter' });

    // The capture's surface: its role, the LSN the broker acknowledged and the slot confirmed.
    const cs = await waitFor(
      'the capture status',
      () => json(`${capture.publicUrl}/status`),
      (s) => {
        const c = s.capture as { confirmed_lsn?: string | null; acked_lsn?: string | null } | undefined;
        return (
          s.phase === 'live' &&
          c?.acked_lsn != null &&
          c.confirmed_lsn != null &&
          typeof s.slot_lag_bytes === 'number'
        );
      },
      30_000,
    );
    expect(cs).toMatchObject({ mode: 'kafka', role: 'capture', indexes: { users: 'seeded' } });
    expect(cs.worker).toBeUndefined();
    expect(cs.changes_committed).toBeGreaterThanOrEqual(2);
    expect((cs.capture as { records_produced: number }).records_produced).toBeGreaterThan(0);
    expect((await fetch(`${capture.publicUrl}/readyz`)).status).toBe(200);
    const cm = await metrics(capture);
    expect(sample(cm, 'flusso_kafka_records_produced_total')).toBeGreaterThan(0);
    expect(sample(cm, 'flusso_changes_committed_total')).toBeGreaterThanOrEqual(2);
    expect(cm).not.toContain('flusso_kafka_committed_offset');

    // The worker's surface: offsets committed per partition, documents written, the letter counted.
    type Partitions = Record<string, { committed_offset: string; documents_written: number }>;
    const offsetsOf = (s: Record<string, unknown>) =>
      Object.values((s.worker as { partitions?: Partitions } | undefined)?.partitions ?? {}).reduce(
        (sum, p) => sum + Number(p.committed_offset),
        0,
      );
    // Every record of the topic is committed (the sum of the next offsets over the partitions).
    const ws = await waitFor(
      'the worker status',
      () => json(`${worker.publicUrl}/status`),
      // The worker reads the layout state on its own schedule: live may follow the offsets.
      (s) =>
        (s.dead_letters as { total?: number } | null)?.total === 1 &&
        offsetsOf(s) === broker.records('flusso-ops').length &&
        s.phase === 'live',
      60_000,
    ).catch(async (error) => {
      const last = await json(`${worker.publicUrl}/status`);
      throw new Error(
        `${String(error).slice(0, 100)}\n${JSON.stringify(last)}\ntopic: ${broker.records('flusso-ops').length}`,
      );
    });
    expect(ws).toMatchObject({ mode: 'kafka', role: 'worker', phase: 'live', documents_quarantined: 1 });
    expect(ws.capture).toBeUndefined();
    const w = ws.worker as { documents_written: number; partitions: Partitions };
    expect(w.documents_written).toBeGreaterThanOrEqual(Object.keys(truth0).length);
    const committed = Object.entries(w.partitions);
    expect(committed.length).toBeGreaterThan(0);
    expect((await fetch(`${worker.publicUrl}/readyz`)).status).toBe(200);
    const wm = await metrics(worker);
    expect(sample(wm, 'flusso_documents_quarantined_total{index="users"}')).toBe(1);
    expect(sample(wm, 'flusso_dead_letters{index="users",sink="primary"}')).toBe(1);
    expect(sample(wm, 'flusso_documents_built_total{index="users"}')).toBeGreaterThan(0);
    const [p0] = committed[0] ?? [];
    expect(sample(wm, `flusso_kafka_committed_offset{topic="flusso-ops",partition="${p0}"}`)).toBe(
      Number(w.partitions[p0 ?? '']?.committed_offset),
    );
    expect(wm).not.toContain('flusso_kafka_records_produced_total');

    // Fixed, then replayed with the worker stopped: the document lands, the letter is gone.
    worker.proc.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await rig.db.sql("UPDATE users SET score = '9' WHERE id = 9");
    const replay = await runFlusso(['dlq', 'replay', '--config', config, '--id', '9'], env);
    expect(replay.stdout).toContain('replayed 1 of 1 dead letter(s)');
    expect(await list()).toEqual([]);
    expect((await indexDocs(rig.emu.url))['9']).toMatchObject({ score: '9', fullName: 'Kafka Letter' });
  }, 180_000);

  it('propagates a TRUNCATE of a joined table and of the root table across separate worker processes', async () => {
    const { config, dir } = kafkaConfig('flusso-truncate', 'tr_');
    const slot = ['--slot', 'flusso_tr', '--publication', 'flusso_tr'];
    const capture = await rig.start(config, ['--role', 'capture', ...slot]);
    const workers = [
      await rig.start(config, ['--role', 'worker']),
      await rig.start(config, ['--role', 'worker']),
    ];
    const converged = async (what: string) => {
      const truth = await expectedDocs(rig.db.url, schemaFile(dir));
      return waitFor(
        what,
        () => indexDocs(rig.emu.url, 'tr_users'),
        (docs) => isDeepStrictEqual(docs, truth),
        90_000,
      ).catch(async (error) => {
        const docs = await indexDocs(rig.emu.url, 'tr_users');
        const differ = [...new Set([...Object.keys(truth), ...Object.keys(docs)])].filter(
          (id) => !isDeepStrictEqual(docs[id], truth[id]),
        );
        throw new Error(
          `${String(error).slice(0, 200)}\n${differ.length} document(s) differ: ${differ.slice(0, 10).join(',')}\n` +
            `capture: ${capture.stderr().slice(-1500)}\nworker: ${workers[0]?.stderr().slice(-1500)}\n` +
            `generations: ${generations().join()}`,
        );
      });
    };
    const generations = () =>
      [...rig.emu.store.indexes.keys()].filter((n) => n.startsWith('tr_users_')).sort();
    const before = await converged('the backfill');
    expect(Object.keys(before).length).toBeGreaterThan(100);
    const [first] = generations();

    // A joined table: every document that embedded its rows is rebuilt without them.
    await rig.db.sql('TRUNCATE order_items');
    const afterItems = await converged('documents rebuilt without order items');
    const items = Object.values(afterItems).flatMap((d) =>
      ((d as { orders?: { items?: unknown[] }[] }).orders ?? []).flatMap((o) => o.items ?? []),
    );
    expect(items).toEqual([]);
    // The old generation is dropped just after the swap.
    const [second] = await waitFor(
      'one generation',
      async () => generations(),
      (g) => g.length === 1,
    );
    expect(second).not.toBe(first);

    // The root table: every document whose row is gone is removed; new rows flow in.
    await rig.db.sql('TRUNCATE users CASCADE');
    await rig.db.sql(
      "INSERT INTO users (id, email, full_name) VALUES (5001, 'new@example.com', 'After Truncate')",
    );
    const afterRoot = await converged('only the rows inserted after the TRUNCATE');
    expect(Object.keys(afterRoot)).toEqual(['5001']);

    // Workers write into the swapped-in generation (they re-read the layout).
    await rig.db.sql("UPDATE users SET full_name = 'still flowing' WHERE id = 5001");
    await rig.db.sql("INSERT INTO users (id, email) VALUES (5002, 'second@example.com')");
    const last = await converged('later changes through the workers');
    expect(last['5001']).toMatchObject({ fullName: 'still flowing' });
    const [third] = await waitFor(
      'one generation',
      async () => generations(),
      (g) => g.length === 1,
    );
    expect(third).not.toBe(second);
    const status = await json(`${capture.publicUrl}/status`);
    expect(status).toMatchObject({ role: 'capture', phase: 'live', indexes: { users: 'seeded' } });
  }, 240_000);
});
