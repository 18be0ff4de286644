// Contract tests with the real kafkajs client. They run against the double, and
// unchanged against a real broker when KAFKA_BROKERS is set.
import { randomUUID } from 'node:crypto';
import { type IHeaders, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let kafka: Kafka;

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  kafka = new Kafka({
    clientId: 'kafka-double-test',
    brokers: external ?? double!.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
  });
});
afterAll(async () => {
  await double?.close();
});

const unique = (what: string): string => `${what}-${randomUUID().slice(0, 8)}`;

interface Seen {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: string | undefined;
  readonly headers: Record<string, string | undefined>;
}

const text = (headers: IHeaders | undefined): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v?.toString()]));

/** Reads `count` messages of `topic` from the beginning with a consumer group. */
async function consume(topic: string, groupId: string, count: number): Promise<Seen[]> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
  const seen: Seen[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push({
          partition,
          offset: message.offset,
          key: message.key?.toString(),
          value: message.value?.toString(),
          headers: text(message.headers),
        });
        if (seen.length >= count) resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  return seen;
}

describe('kafkajs against the broker', () => {
  it('an idempotent producer writes, a consumer group reads them back in order and commits', async () => {
    const topic = unique('orders');
    const groupId = unique('group');
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'acme', value: 'one', headers: { op_id: 'op-1', traceparent: 't-1' } },
        { key: 'acme', value: 'two', headers: { op_id: 'op-2' } },
      ],
    });
    await producer.send({ topic, acks: -1, messages: [{ key: 'globex', value: 'three' }] });
    await producer.disconnect();

    const seen = await consume(topic, groupId, 3);
    expect(seen).toEqual([
      {
        partition: 0,
        offset: '0',
        key: 'acme',
        value: 'one',
        headers: { op_id: 'op-1', traceparent: 't-1' },
      },
      { partition: 0, offset: '1', key: 'acme', value: 'two', headers: { op_id: 'op-2' } },
      { partition: 0, offset: '2', key: 'globex', value: 'three', headers: {} },
    ]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.fetchTopicOffsets(topic)).toEqual([
        { partition: 0, offset: '3', high: '3', low: '0' },
      ]);
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed).toMatchObject([{ topic, partitions: [{ partition: 0, offset: '3' }] }]);
    } finally {
      await admin.disconnect();
    }
  });

  it('a second consumer of the same group resumes after the committed offset', async () => {
    const topic = unique('resume');
    const groupId = unique('group');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: '1' }] });
    expect(await consume(topic, groupId, 1)).toMatchObject([{ value: '1' }]);
    await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: '2' }] });
    await producer.disconnect();
    expect(await consume(topic, groupId, 1)).toMatchObject([{ offset: '1', value: '2' }]);
  });
});
