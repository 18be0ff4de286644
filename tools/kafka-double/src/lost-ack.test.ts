// A produce whose ack is lost (stored, then the connection drops before the
// answer) is retried by kafkajs. Only the double can lose an ack on purpose, so
// these are skipped against a real broker (KAFKA_BROKERS).
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unique } from './consumer-group.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

let double: KafkaDouble;
beforeEach(async () => {
  double = await startKafkaDouble({ partitions: 3 });
});
afterEach(async () => {
  await double.close();
});

const client = (): Kafka =>
  new Kafka({
    clientId: 'lost-ack',
    brokers: double.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 200 },
  });

const stored = (topic: string): string[] => double.records(topic).map((r) => `${r.partition}:${r.value}`);

describe.skipIf(process.env.KAFKA_BROKERS !== undefined)('a lost produce ack', () => {
  it('an idempotent producer retries it with the same sequence and nothing is stored twice', async () => {
    const topic = unique('lost');
    const producer = client().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'before' }] });
    double.loseProduceAcks(1);
    const [ack] = await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'k', value: 'lost-1' },
        { key: 'k', value: 'lost-2' },
      ],
    });
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'after' }] });
    await producer.disconnect();

    const partition = double.records(topic)[0]!.partition;
    expect(ack).toMatchObject({ partition, baseOffset: '1' });
    expect(stored(topic)).toEqual(['before', 'lost-1', 'lost-2', 'after'].map((v) => `${partition}:${v}`));
  });

  it('a producer without idempotence stores the retried records twice (the fault is real)', async () => {
    const topic = unique('dup');
    const producer = client().producer({ idempotent: false });
    await producer.connect();
    double.loseProduceAcks(1);
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'once' }] });
    await producer.disconnect();
    expect(double.records(topic).map((r) => r.value?.toString())).toEqual(['once', 'once']);
  });
});
