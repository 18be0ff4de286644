// Async writes (`X-Write-Mode: async`) through the built osproxy: queued on Kafka
// (the in-repo broker double, or KAFKA_BROKERS unchanged), not written upstream.
import { randomUUID } from 'node:crypto';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { selfSignedCert } from '@flusso/net-kit';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type RunningProxy, startProxy } from './osproxy-process.fixture.js';

const external = process.env.KAFKA_BROKERS?.split(',');
const topic = `osproxy-writes-${randomUUID().slice(0, 8)}`;
let double: KafkaDouble | undefined;
let brokers: string[];
let emu: Emulator;
let proxy: RunningProxy;

const acme = { authorization: 'Bearer tok-acme', 'x-write-mode': 'async' };

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
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
  await proxy?.stop();
  await emu?.close();
  await double?.close();
});

interface Message {
  readonly key: string | undefined;
  readonly value: Record<string, unknown>;
  readonly opId: string | undefined;
}

async function firstMessage(): Promise<Message> {
  const kafka = new Kafka({ clientId: 'osproxy-e2e-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, heartbeatInterval: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<Message>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) =>
          resolve({
            key: message.key?.toString(),
            value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
            opId: message.headers?.op_id?.toString(),
          }),
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

describe('osproxy async writes over Kafka', () => {
  it('answers 202 queued; a consumer reads the write keyed by tenant; the index does not have it', async () => {
    const res = await json(`${proxy.url}/orders/_doc/1`, {
      method: 'PUT',
      headers: acme,
      body: { item: 'anvil' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      op_id: expect.any(String),
      status: 'accepted',
      result: 'queued',
      _index: 'orders',
      _id: '1',
    });

    const message = await firstMessage();
    expect(message.key).toBe('acme');
    expect(message.opId).toBe(res.body?.op_id);
    expect(message.value).toMatchObject({ opId: res.body?.op_id, partition: 'acme', action: 'index' });

    const read = await json(`${proxy.url}/orders/_doc/1`, { headers: { authorization: 'Bearer tok-acme' } });
    expect(read.status).toBe(404);
  });

  it('refuses a version-conditional async write with 400', async () => {
    const res = await json(`${proxy.url}/orders/_doc/2?if_seq_no=1&if_primary_term=1`, {
      method: 'PUT',
      headers: acme,
      body: { item: 'conditional' },
    });
    expect(res).toMatchObject({ status: 400, body: { error: 'malformed_request', retryable: false } });
  });

  it.skipIf(external !== undefined)(
    'answers 503 queue_unavailable, retryable, when the broker fails the produce',
    async () => {
      const before = double!.records(topic).length;
      double!.failProduce(19); // NOT_ENOUGH_REPLICAS
      try {
        const res = await json(`${proxy.url}/orders/_doc/3`, {
          method: 'PUT',
          headers: acme,
          body: { item: 'lost' },
        });
        expect(res).toMatchObject({ status: 503, body: { error: 'queue_unavailable', retryable: true } });
        expect(double!.records(topic)).toHaveLength(before);
      } finally {
        double!.failProduce(null);
      }
      const after = await json(`${proxy.url}/orders/_doc/4`, {
        method: 'PUT',
        headers: acme,
        body: { item: 'kept' },
      });
      expect(after.status).toBe(202);
    },
  );
});

describe.skipIf(external !== undefined)('osproxy async writes to a managed broker', () => {
  it('speaks TLS (private CA) and SASL SCRAM to Kafka from OSPROXY_KAFKA_* settings', async () => {
    const cert = selfSignedCert();
    const secure = await startKafkaDouble({
      tls: { cert: cert.cert, key: cert.key },
      sasl: { mechanism: 'scram-sha-256', users: { osproxy: 'pw-in-env' } },
    });
    const secureTopic = `osproxy-writes-${randomUUID().slice(0, 8)}`;
    const emulator = await startEmulator();
    const managed = await startProxy({
      OSPROXY_UPSTREAM: emulator.url,
      OSPROXY_TOKENS: 'tok-acme=app1:acme',
      OSPROXY_ALLOW_CLEARTEXT_MUTATION: 'true',
      OSPROXY_KAFKA_BROKERS: secure.brokers.join(','),
      OSPROXY_KAFKA_TOPIC: secureTopic,
      OSPROXY_KAFKA_TLS_CA: cert.certPath,
      OSPROXY_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      OSPROXY_KAFKA_SASL_USERNAME: 'osproxy',
      OSPROXY_KAFKA_SASL_PASSWORD: 'pw-in-env',
    });
    try {
      const res = await json(`${managed.url}/orders/_doc/9`, {
        method: 'PUT',
        headers: { ...acme, 'x-op-id': 'order-9:v1' },
        body: { item: 'anvil' },
      });
      expect(res).toMatchObject({ status: 202, body: { op_id: 'order-9:v1', _id: '9' } });
      const [record] = secure.records(secureTopic);
      expect(record?.key?.toString()).toBe('acme');
      expect(record?.headers.find((h) => h.key === 'op_id')?.value?.toString()).toBe('order-9:v1');
      expect(managed.stderr()).not.toContain('pw-in-env');
    } finally {
      await managed.stop();
      await emulator.close();
      await secure.close();
    }
  });
});
