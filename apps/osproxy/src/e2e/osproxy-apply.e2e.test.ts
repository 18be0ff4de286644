// `osproxy apply` through the built binaries: writes 202'd by `osproxy` (async)
// land in the cluster (the emulator) exactly once, the last write of each
// document winning, across an applier killed mid-stream and a full redelivery;
// a write the cluster refuses comes out as `rejected` and as a dead letter.
import { randomUUID } from 'node:crypto';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningApplier,
  readTopicUntil,
  startApplier,
  type TopicRecord,
} from './osproxy-apply.fixture.js';
import { json, type RunningProxy, startProxy } from './osproxy-process.fixture.js';

const external = process.env.KAFKA_BROKERS?.split(',');
const topic = `osproxy-writes-${randomUUID().slice(0, 8)}`;
const outcomes = `${topic}-outcomes`;
const deadLetters = `${topic}-dead-letters`;
let double: KafkaDouble | undefined;
let brokers: string[];
let emu: Emulator;
let proxy: RunningProxy;
const appliers: RunningApplier[] = [];

const token = { acme: 'Bearer tok-acme', globex: 'Bearer tok-globex' } as const;
type Tenant = keyof typeof token;

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble({ partitions: 2 });
  brokers = external ?? double!.brokers;
  emu = await startEmulator();
  proxy = await startProxy({
    OSPROXY_UPSTREAM: emu.url,
    OSPROXY_TOKENS: 'tok-acme=app1:acme,tok-globex=app2:globex',
    OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
    OSPROXY_KAFKA_BROKERS: brokers.join(','),
    OSPROXY_KAFKA_TOPIC: topic,
  });
});

afterAll(async () => {
  for (const a of appliers) if (a.proc.exitCode === null) a.proc.kill('SIGKILL');
  await proxy?.stop();
  await emu?.close();
  await double?.close();
});

async function applier(env: Record<string, string> = {}): Promise<RunningApplier> {
  const a = await startApplier({
    OSPROXY_UPSTREAM: emu.url,
    OSPROXY_KAFKA_BROKERS: brokers.join(','),
    OSPROXY_KAFKA_TOPIC: topic,
    OSPROXY_APPLY_SESSION_TIMEOUT_MS: '6000',
    ...env,
  });
  appliers.push(a);
  return a;
}

/** One async write through the proxy; its op id once 202'd. */
async function write(tenant: Tenant, id: string, body: Record<string, unknown>): Promise<string> {
  const res = await json(`${proxy.url}/orders/_doc/${id}`, {
    method: 'PUT',
    headers: { authorization: token[tenant], 'x-write-mode': 'async' },
    body,
  });
  expect(res.status).toBe(202);
  return String(res.body?.op_id);
}

const read = (tenant: Tenant, id: string) =>
  json(`${proxy.url}/orders/_doc/${id}`, { headers: { authorization: token[tenant] } });

const parsed = (records: readonly TopicRecord[]) =>
  records.map((r) => ({
    key: r.key,
    ...(JSON.parse(r.value) as { op_id: string; status: string; reason?: string }),
  }));

/** Every op id has an outcome; returns them all. */
async function outcomesFor(topicName: string, opIds: readonly string[]) {
  const wanted = new Set(opIds);
  const records = await readTopicUntil(brokers, topicName, (seen) => {
    const have = new Set(seen.map((r) => r.headers.op_id));
    return [...wanted].every((id) => have.has(id));
  });
  return parsed(records).filter((o) => wanted.has(o.op_id));
}

describe('osproxy apply', () => {
  const ops: { tenant: Tenant; id: string; v: number; opId: string }[] = [];

  it('applies 202-accepted writes exactly once, the last per document winning, across a SIGKILL and a restart', async () => {
    const first = await applier();
    const plan: [Tenant, string][] = [
      ['acme', '1'],
      ['globex', '1'],
      ['acme', '2'],
      ['acme', '3'],
    ];
    for (let v = 1; v <= 3; v++) {
      for (const [tenant, id] of plan)
        ops.push({ tenant, id, v, opId: await write(tenant, id, { v, tenant }) });
    }
    // Some writes are applied and committed; the applier dies without a chance to finish.
    await readTopicUntil(brokers, outcomes, (seen) => seen.length > 0);
    first.proc.kill('SIGKILL');
    await first.exited;
    for (let v = 4; v <= 6; v++) {
      for (const [tenant, id] of plan)
        ops.push({ tenant, id, v, opId: await write(tenant, id, { v, tenant }) });
    }
    const second = await applier();
    const seen = await outcomesFor(
      outcomes,
      ops.map((o) => o.opId),
    );
    expect(await second.stop()).toBe(0);

    for (const [tenant, id] of plan) {
      expect((await read(tenant, id)).body?._source).toEqual({ v: 6, tenant });
    }
    expect(seen.filter((o) => o.status === 'rejected')).toEqual([]);
    const applied = seen.filter((o) => o.status === 'applied').map((o) => o.op_id);
    expect(new Set(applied).size).toBe(applied.length);
    for (const o of seen) expect(o.key).toBe(ops.find((op) => op.opId === o.op_id)?.tenant);
  });

  it('each tenant reads back only its own documents', async () => {
    expect((await read('globex', '1')).body?._source).toEqual({ v: 6, tenant: 'globex' });
    expect((await read('globex', '2')).status).toBe(404);
    const count = async (tenant: Tenant) =>
      (await json(`${proxy.url}/orders/_count`, { headers: { authorization: token[tenant] }, body: {} })).body
        ?.count;
    await expect.poll(() => count('acme'), { timeout: 5_000 }).toBe(3);
    expect(await count('globex')).toBe(1);
  });

  it.skipIf(external !== undefined)(
    'writes applied but not committed when the applier dies are redelivered as conflicts and undo nothing',
    async () => {
      const mine: { id: string; v: number; opId: string }[] = [];
      const send = async (v: number) => {
        for (const id of ['k1', 'k2'])
          mine.push({ id, v, opId: await write('acme', id, { v, tenant: 'acme' }) });
      };
      for (let v = 1; v <= 3; v++) await send(v);
      // Outcomes cannot be produced, so nothing is committed; the writes still reach the cluster.
      double!.failProduce(19);
      const doomed = await applier();
      try {
        for (const id of ['k1', 'k2']) {
          await expect
            .poll(async () => (await read('acme', id)).body?._source, { timeout: 10_000 })
            .toEqual({ v: 3, tenant: 'acme' });
        }
        doomed.proc.kill('SIGKILL');
        await doomed.exited;
      } finally {
        double!.failProduce(null);
      }
      for (let v = 4; v <= 5; v++) await send(v);
      const next = await applier();
      const seen = await outcomesFor(
        outcomes,
        mine.map((m) => m.opId),
      );
      expect(await next.stop()).toBe(0);
      const statusOf = (opId: string) => seen.filter((o) => o.op_id === opId).map((o) => o.status);
      for (const m of mine) expect(statusOf(m.opId)).toEqual([m.v <= 3 ? 'conflict' : 'applied']);
      for (const id of ['k1', 'k2'])
        expect((await read('acme', id)).body?._source).toEqual({ v: 5, tenant: 'acme' });
    },
  );

  it('a full redelivery (a new group from the beginning) changes nothing: every write is a conflict', async () => {
    const replayOutcomes = `${topic}-replay-outcomes`;
    const replay = await applier({
      OSPROXY_APPLY_GROUP: 'replay',
      OSPROXY_APPLY_OUTCOME_TOPIC: replayOutcomes,
    });
    const seen = await outcomesFor(
      replayOutcomes,
      ops.map((o) => o.opId),
    );
    expect(await replay.stop()).toBe(0);
    expect(new Set(seen.map((o) => o.status))).toEqual(new Set(['conflict']));
    expect((await read('acme', '1')).body?._source).toEqual({ v: 6, tenant: 'acme' });
  });

  it('a write the mapping refuses is `rejected` on the outcome topic and dead-lettered with the original record', async () => {
    const sync = await json(`${proxy.url}/orders/_doc/priced`, {
      method: 'PUT',
      headers: { authorization: token.acme },
      body: { price: 5 },
    });
    expect(sync.status).toBeLessThan(300);
    const bad = await write('acme', 'mispriced', { price: 'not a number' });
    const good = await write('acme', 'priced-2', { price: 7 });
    // Logged at debug, so the canary below would see any value a log line carried.
    const running = await applier({ OSPROXY_LOG_LEVEL: 'debug' });
    const seen = await outcomesFor(outcomes, [bad, good]);
    expect(seen.find((o) => o.op_id === good)).toMatchObject({ status: 'applied' });
    expect(seen.find((o) => o.op_id === bad)).toMatchObject({
      status: 'rejected',
      reason: 'mapper_parsing_exception',
    });
    const [letter] = (
      await readTopicUntil(brokers, deadLetters, (s) => s.some((r) => r.headers.op_id === bad))
    ).filter((r) => r.headers.op_id === bad);
    expect(letter?.key).toBe('acme');
    expect(letter?.headers).toMatchObject({ reason: 'mapper_parsing_exception', source_topic: topic });
    expect(JSON.parse(letter?.value ?? '{}')).toMatchObject({ opId: bad, body: { price: 'not a number' } });
    expect(await running.stop()).toBe(0);
    expect(running.stderr()).toContain('batch applied');
    expect(running.stderr()).not.toContain('not a number');
    expect((await read('acme', 'mispriced')).status).toBe(404);
  });

  it('a partial update applies in order; redelivered after a later full write it is skipped as superseded', async () => {
    const created = await write('acme', 'u1', { v: 1, n: 0 });
    const res = await json(`${proxy.url}/orders/_update/u1`, {
      method: 'POST',
      headers: { authorization: token.acme, 'x-write-mode': 'async' },
      body: { doc: { n: 1 } },
    });
    expect(res.status).toBe(202);
    const updated = String(res.body?.op_id);
    const replaced = await write('acme', 'u1', { v: 2 });
    const running = await applier();
    const seen = await outcomesFor(outcomes, [created, updated, replaced]);
    expect(await running.stop()).toBe(0);
    expect(seen.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await read('acme', 'u1')).body?._source).toEqual({ v: 2 });

    const replayOutcomes = `${topic}-replay-2-outcomes`;
    const replay = await applier({
      OSPROXY_APPLY_GROUP: 'replay-2',
      OSPROXY_APPLY_OUTCOME_TOPIC: replayOutcomes,
    });
    const again = await outcomesFor(replayOutcomes, [created, updated, replaced]);
    expect(await replay.stop()).toBe(0);
    expect(again.find((o) => o.op_id === updated)).toMatchObject({
      status: 'conflict',
      reason: 'superseded',
    });
    expect((await read('acme', 'u1')).body?._source).toEqual({ v: 2 });
  });
});
