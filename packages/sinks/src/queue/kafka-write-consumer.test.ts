// Contract tests of the async-write topic's consumer over the Kafka wire protocol:
// against the in-repo broker double, unchanged against KAFKA_BROKERS.
import { randomUUID } from 'node:crypto';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumedBatch, KafkaWriteConsumer } from './kafka-write-consumer.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let brokers: string[];

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  brokers = external ?? double!.brokers;
});

afterAll(async () => {
  await double?.close();
});

const unique = (what: string): string => `${what}-${randomUUID().slice(0, 8)}`;

async function produce(topic: string, values: readonly string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'consumer-test', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    for (const value of values) {
      await producer.send({ topic, acks: -1, messages: [{ key: 'acme', value, headers: { op_id: value } }] });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Runs one member until it has seen `count` records; what each batch held, and the consumer. */
async function member(
  topic: string,
  groupId: string,
  count: number,
  giveUp = false,
): Promise<{ seen: string[]; consumer: KafkaWriteConsumer }> {
  const consumer = new KafkaWriteConsumer({ brokers, topic, groupId, sessionTimeoutMs: 6_000 });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run(async (batch: ConsumedBatch) => {
        seen.push(...batch.records.map((r) => r.value?.toString() ?? ''));
        if (seen.length >= count) resolve();
        if (giveUp) return undefined;
        return batch.records.map((r) => ({ topic: `${topic}-out`, key: r.key, value: `done:${r.value}` }));
      })
      .catch(reject);
  });
  return { seen, consumer };
}

describe('KafkaWriteConsumer', () => {
  it('hands records over in offset order and commits after producing: the next member starts past them', async () => {
    const topic = unique('writes');
    const group = unique('apply');
    await produce(topic, ['a', 'b', 'c']);
    const first = await member(topic, group, 3);
    await first.consumer.stop();
    expect(first.seen).toEqual(['a', 'b', 'c']);
    await produce(topic, ['d']);
    const second = await member(topic, group, 1);
    await second.consumer.stop();
    expect(second.seen).toEqual(['d']);
    const outputs = await member(`${topic}-out`, unique('reader'), 4, true);
    await outputs.consumer.stop();
    expect(outputs.seen).toEqual(['done:a', 'done:b', 'done:c', 'done:d']);
  });

  it('commits nothing for a batch the handler gives up on: the next member gets it again', async () => {
    const topic = unique('writes');
    const group = unique('apply');
    await produce(topic, ['a', 'b']);
    const first = await member(topic, group, 2, true);
    await first.consumer.stop();
    const second = await member(topic, group, 2);
    await second.consumer.stop();
    expect(second.seen).toEqual(['a', 'b']);
  });
});
