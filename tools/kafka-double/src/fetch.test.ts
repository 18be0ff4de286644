// Fetch v4 over several partitions at the protocol level: with nothing to return
// it waits up to max wait (so consumers do not spin), and answers as soon as any
// fetched partition gets a record. Runs against the double, or KAFKA_BROKERS.
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { kafkaClient, unique } from './consumer-group.fixture.js';
import { ErrorCode } from './protocol/error-codes.js';
import { type Reader, Writer } from './protocol/primitives.js';
import { decodeRecordBatches } from './protocol/record-batch.js';
import { leaderOf, RawKafkaClient } from './raw-client.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  kafka = kafkaClient(external ?? double!.brokers, 'fetch-test');
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await double?.close();
});

function fetchV4(topic: string, maxWaitMs: number): Buffer {
  return new Writer()
    .int32(-1) // replica id
    .int32(maxWaitMs)
    .int32(1) // min bytes
    .int32(1_048_576)
    .int8(0)
    .array([topic], (w, t) => w.string(t).array([0, 1, 2], (w, p) => w.int32(p).int64(0).int32(1_048_576)))
    .toBuffer();
}

interface Fetched {
  readonly partition: number;
  readonly errorCode: number;
  readonly values: string[];
}

function readFetchV4(r: Reader): Fetched[] {
  r.int32(); // throttle
  return r
    .array((t) => {
      t.string();
      return t.array((p) => {
        const partition = p.int32();
        const errorCode = p.int16();
        p.int64(); // high watermark
        p.int64(); // last stable offset
        p.nullableArray((a) => [a.int64(), a.int64()]);
        const batches = decodeRecordBatches(p.bytes());
        const values = batches.flatMap((b) => b.records.map((x) => x.value?.toString() ?? ''));
        return { partition, errorCode, values };
      });
    })
    .flat();
}

async function topicOfThree(): Promise<{ topic: string; raw: RawKafkaClient }> {
  const topic = unique('fetch');
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  const leader = await leaderOf((external ?? double!.brokers)[0]!, topic, 0);
  return { topic, raw: await RawKafkaClient.connect(leader) };
}

it('waits up to max wait over partitions with nothing to return', async () => {
  const { topic, raw } = await topicOfThree();
  try {
    const started = Date.now();
    const fetched = readFetchV4(await raw.request(1, 4, fetchV4(topic, 400)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(fetched.map((f) => [f.partition, f.errorCode, f.values])).toEqual([
      [0, ErrorCode.NONE, []],
      [1, ErrorCode.NONE, []],
      [2, ErrorCode.NONE, []],
    ]);
  } finally {
    raw.close();
  }
});

it('answers a long poll as soon as one of its partitions gets a record', async () => {
  const { topic, raw } = await topicOfThree();
  const producer = kafka.producer();
  await producer.connect();
  try {
    const started = Date.now();
    const answer = raw.request(1, 4, fetchV4(topic, 20_000));
    await producer.send({ topic, acks: -1, messages: [{ partition: 2, value: 'woken' }] });
    const fetched = readFetchV4(await answer);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fetched.find((f) => f.partition === 2)?.values).toEqual(['woken']);
  } finally {
    await producer.disconnect();
    raw.close();
  }
});
