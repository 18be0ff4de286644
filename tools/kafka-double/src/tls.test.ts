// TLS listener with the real kafkajs client: it verifies the double's certificate
// against the CA it was given; a plain-TCP client cannot talk to it. Skipped
// against a real broker (KAFKA_BROKERS).
import { randomUUID } from 'node:crypto';
import { type SelfSignedCert, selfSignedCert } from '@flusso/net-kit';
import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KafkaDouble, startKafkaDouble } from './server.js';

let tls: SelfSignedCert;
let double: KafkaDouble | undefined;

const client = (brokers: string[], extra: Partial<KafkaConfig> = {}): Kafka =>
  new Kafka({
    clientId: 'tls-test',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
    ...extra,
  });

async function readOne(kafka: Kafka, topic: string): Promise<string | undefined> {
  const consumer = kafka.consumer({ groupId: `g-${randomUUID().slice(0, 8)}`, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const value = await new Promise<string | undefined>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString()) });
  });
  await consumer.disconnect();
  return value;
}

describe.skipIf(process.env.KAFKA_BROKERS !== undefined)('TLS', () => {
  beforeAll(() => {
    tls = selfSignedCert('kafka-double');
  });
  afterEach(async () => {
    await double?.close();
    double = undefined;
  });

  it('an idempotent producer sends over TLS and a consumer group reads it back', async () => {
    double = await startKafkaDouble({ tls: { cert: tls.cert, key: tls.key } });
    const kafka = client(double.brokers, { ssl: { ca: [tls.cert] } });
    const topic = `tls-${randomUUID().slice(0, 8)}`;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'secret payload' }] });
    await producer.disconnect();

    expect(await readOne(kafka, topic)).toBe('secret payload');
    expect(double.records(topic).map((r) => r.value?.toString())).toEqual(['secret payload']);
  });

  it('a client without TLS cannot connect, and one that does not trust the CA neither', async () => {
    double = await startKafkaDouble({ tls: { cert: tls.cert, key: tls.key } });
    await expect(client(double.brokers).producer().connect()).rejects.toThrow();
    const other = selfSignedCert('someone-else');
    await expect(
      client(double.brokers, { ssl: { ca: [other.cert] } })
        .producer()
        .connect(),
    ).rejects.toThrow();
    await expect.poll(() => double?.openConnections()).toBe(0);
  });

  it('TLS and SASL together: the right password produces, a wrong one is refused', async () => {
    double = await startKafkaDouble({
      tls: { cert: tls.cert, key: tls.key },
      sasl: { mechanism: ['plain', 'scram-sha-512'], users: { alice: 'secret' } },
    });
    const topic = `sasl-ssl-${randomUUID().slice(0, 8)}`;
    const logins: SASLOptions[] = [
      { mechanism: 'plain', username: 'alice', password: 'secret' },
      { mechanism: 'scram-sha-512', username: 'alice', password: 'secret' },
    ];
    for (const sasl of logins) {
      const kafka = client(double.brokers, { ssl: { ca: [tls.cert] }, sasl });
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: sasl.mechanism }] });
      await producer.disconnect();
    }
    expect(double.records(topic).map((r) => r.value?.toString())).toEqual(['plain', 'scram-sha-512']);

    const wrong = client(double.brokers, {
      ssl: { ca: [tls.cert] },
      sasl: { mechanism: 'plain', username: 'alice', password: 'nope' },
    });
    await expect(wrong.producer().connect()).rejects.toThrow(/SASL PLAIN authentication failed/);
  });
});
