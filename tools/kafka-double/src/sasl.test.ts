// SASL with the real kafkajs client (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and at
// the byte level: what an unauthenticated connection may do. Skipped against a
// real broker (KAFKA_BROKERS).
import { randomUUID } from 'node:crypto';
import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from './protocol/error-codes.js';
import { Writer } from './protocol/primitives.js';
import { RawKafkaClient } from './raw-client.fixture.js';
import type { KafkaDoubleSaslOptions } from './sasl/config.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

let double: KafkaDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

async function start(sasl?: KafkaDoubleSaslOptions): Promise<KafkaDouble> {
  double = await startKafkaDouble(sasl === undefined ? {} : { sasl });
  return double;
}

const client = (brokers: string[], sasl?: SASLOptions): Kafka => {
  const config: KafkaConfig = {
    clientId: 'sasl-test',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
  };
  return new Kafka(sasl === undefined ? config : { ...config, sasl });
};

const topicName = (): string => `sasl-${randomUUID().slice(0, 8)}`;

/** ApiVersions v0 on a raw connection: the advertised API keys. */
async function advertised(broker: string): Promise<number[]> {
  const raw = await RawKafkaClient.connect(broker);
  const r = await raw.request(18, 0, Buffer.alloc(0));
  raw.close();
  expect(r.int16()).toBe(ErrorCode.NONE);
  return r.array((a) => {
    const key = a.int16();
    a.int16();
    a.int16();
    return key;
  });
}

describe.skipIf(process.env.KAFKA_BROKERS !== undefined)('SASL', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    '%s with the right password produces; the admin sees the offsets',
    async (mechanism) => {
      const { brokers } = await start({ mechanism, users: { alice: 'secret', bob: 'other' } });
      const kafka = client(brokers, { mechanism, username: 'alice', password: 'secret' });
      const topic = topicName();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      expect(await admin.fetchTopicOffsets(topic)).toEqual([
        { partition: 0, offset: '1', high: '1', low: '0' },
      ]);
      await admin.disconnect();
      expect(double?.records(topic).map((r) => r.value?.toString())).toEqual(['v']);
    },
  );

  it.each([
    ['plain', /SASL PLAIN authentication failed: Authentication failed: Invalid username or password/],
    ['scram-sha-256', /SASL SCRAM SHA256 authentication failed: Authentication failed/],
    ['scram-sha-512', /SASL SCRAM SHA512 authentication failed: Authentication failed/],
  ] as const)('%s with a wrong password or user makes connect reject', async (mechanism, message) => {
    const { brokers } = await start({ mechanism, users: { alice: 'secret' } });
    for (const [username, password] of [
      ['alice', 'wrong'],
      ['mallory', 'secret'],
    ] as const) {
      const producer = client(brokers, { mechanism, username, password }).producer();
      const error = await producer.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('KafkaJSSASLAuthenticationError');
      expect((error as Error).message).toMatch(message);
    }
    await expect.poll(() => double?.openConnections()).toBe(0);
  });

  it('a client without SASL cannot produce and nothing is stored', async () => {
    const { brokers } = await start({ mechanism: 'plain', users: { alice: 'secret' } });
    const topic = topicName();
    const producer = client(brokers).producer();
    // kafkajs connects with ApiVersions only (allowed before authentication); Metadata closes.
    await expect(
      producer.connect().then(() => producer.send({ topic, messages: [{ value: 'sneaky' }] })),
    ).rejects.toThrow();
    await producer.disconnect();
    expect(double?.records(topic)).toEqual([]);
  });

  it('a mechanism the broker did not enable fails the handshake', async () => {
    const { brokers } = await start({ mechanism: 'scram-sha-256', users: { alice: 'secret' } });
    const producer = client(brokers, {
      mechanism: 'plain',
      username: 'alice',
      password: 'secret',
    }).producer();
    await expect(producer.connect()).rejects.toThrow(
      'The broker does not support the requested SASL mechanism',
    );
  });

  it('at the byte level: handshake answers, unauthenticated requests close the connection', async () => {
    const { brokers } = await start({ mechanism: ['plain', 'scram-sha-256'], users: { alice: 'secret' } });
    const broker = brokers[0]!;
    expect(await advertised(broker)).toEqual(expect.arrayContaining([17, 36]));

    const raw = await RawKafkaClient.connect(broker);
    const handshake = await raw.request(17, 1, new Writer().string('GSSAPI').toBuffer());
    expect(handshake.int16()).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(handshake.array((r) => r.string())).toEqual(['PLAIN', 'SCRAM-SHA-256']);
    // ... and the broker closes the connection after saying so.
    await expect(raw.request(18, 0, Buffer.alloc(0))).rejects.toThrow('connection closed');

    const metadata = new Writer().int32(-1).boolean(false).toBuffer();
    const early = await RawKafkaClient.connect(broker);
    await expect(early.request(3, 5, metadata)).rejects.toThrow('connection closed');

    const wrong = await RawKafkaClient.connect(broker);
    expect((await wrong.request(17, 1, new Writer().string('PLAIN').toBuffer())).int16()).toBe(
      ErrorCode.NONE,
    );
    const failed = await wrong.request(36, 1, new Writer().bytes(Buffer.from('\0alice\0nope')).toBuffer());
    expect(failed.int16()).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(failed.nullableString()).toBe('Authentication failed: Invalid username or password');
    await expect(wrong.request(3, 5, metadata)).rejects.toThrow('connection closed');

    const right = await RawKafkaClient.connect(broker);
    expect((await right.request(17, 0, new Writer().string('PLAIN').toBuffer())).int16()).toBe(
      ErrorCode.NONE,
    );
    const ok = await right.request(36, 0, new Writer().bytes(Buffer.from('\0alice\0secret')).toBuffer());
    expect(ok.int16()).toBe(ErrorCode.NONE);
    expect(ok.nullableString()).toBeNull();
    const answered = await right.request(3, 5, metadata);
    answered.int32(); // throttle
    expect(answered.array((b) => [b.int32(), b.string(), b.int32(), b.nullableString()])).toHaveLength(1);
    right.close();
  });

  it('without SASL configured the SASL APIs are neither advertised nor served', async () => {
    const { brokers } = await start();
    const keys = await advertised(brokers[0]!);
    expect(keys).not.toContain(17);
    expect(keys).not.toContain(36);
    const raw = await RawKafkaClient.connect(brokers[0]!);
    await expect(raw.request(17, 1, new Writer().string('PLAIN').toBuffer())).rejects.toThrow(
      'connection closed',
    );
  });
});
