// Faults only the double can inject: failing produces, refused connections and
// garbage on the wire. Skipped against a real broker (KAFKA_BROKERS).
import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from './protocol/error-codes.js';
import { Writer } from './protocol/primitives.js';
import { RawKafkaClient } from './raw-client.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

let double: KafkaDouble;
beforeEach(async () => {
  double = await startKafkaDouble();
});
afterEach(async () => {
  await double.close();
});

const client = (): Kafka =>
  new Kafka({
    clientId: 'faults',
    brokers: double.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 500,
    retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
  });

function sendRaw(bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(double.port, double.host, () => socket.end(bytes));
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.resume();
  });
}

function frame(body: Buffer): Buffer {
  return new Writer().int32(body.length).raw(body).toBuffer();
}

describe.skipIf(process.env.KAFKA_BROKERS !== undefined)('faults', () => {
  it('a produce fault makes producer.send reject and nothing is stored; clearing it recovers', async () => {
    const topic = `fault-${randomUUID().slice(0, 8)}`;
    const producer = client().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    double.failProduce(ErrorCode.NOT_ENOUGH_REPLICAS);
    await expect(
      producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'lost' }] }),
    ).rejects.toThrow();
    expect(double.records(topic)).toEqual([]);
    double.failProduce(null);
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'kept' }] });
    await producer.disconnect();
    expect(double.records(topic).map((r) => r.value?.toString())).toEqual(['kept']);
  });

  it('a fetch fault with a non-retriable code crashes a consumer for good; clearing it lets the next one read', async () => {
    const topic = `fetch-fault-${randomUUID().slice(0, 8)}`;
    const producer = client().producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    double.failFetch(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    const consumer = client().consumer({ groupId: `g-${topic}` });
    const crashed = new Promise<{ restart: boolean; error: Error }>((resolve) =>
      consumer.on(consumer.events.CRASH, (e) => resolve(e.payload)),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    const crash = await crashed;
    expect(crash.restart).toBe(false);
    expect(crash.error.name).toBe('KafkaJSNonRetriableError');
    await consumer.disconnect();
    double.failFetch(null);
    const again = client().consumer({ groupId: `g-${topic}` });
    await again.connect();
    await again.subscribe({ topic, fromBeginning: true });
    const read = new Promise<string>((resolve) => {
      void again.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    expect(await read).toBe('v');
    await again.disconnect();
  });

  it('a refusing broker makes connect fail until it accepts again', async () => {
    double.refuse(true);
    const producer = client().producer();
    await expect(producer.connect()).rejects.toThrow();
    double.refuse(false);
    const again = client().producer();
    await again.connect();
    await again.send({ topic: 'after-refuse', messages: [{ value: 'v' }] });
    await again.disconnect();
    expect(double.records('after-refuse')).toHaveLength(1);
  });

  it('garbage frames close only their connection; the next client still works', async () => {
    const garbage: Buffer[] = [
      randomBytes(3),
      Buffer.from([0xff, 0xff, 0xff, 0xff]), // negative size
      Buffer.from([0x7f, 0xff, 0xff, 0xff]), // beyond the frame limit
      frame(new Writer().int16(999).int16(0).int32(1).string('x').toBuffer()), // unknown API key
      frame(new Writer().int16(0).int16(99).int32(1).string('x').toBuffer()), // unsupported Produce version
      frame(new Writer().int16(3).int16(5).int32(1).string('x').int32(1_000_000).toBuffer()), // array past end
      frame(
        new Writer()
          .int16(0)
          .int16(3)
          .int32(1)
          .string('x')
          .string(null)
          .int16(-1)
          .int32(1)
          .int32(1)
          .toBuffer(),
      ),
    ];
    const versions = [
      [0, 3],
      [1, 4],
      [2, 2],
      [3, 5],
      [8, 3],
      [9, 3],
      [10, 1],
      [11, 2],
      [12, 1],
      [13, 1],
      [14, 1],
      [15, 2],
      [18, 2],
      [19, 3],
      [20, 1],
      [22, 1],
    ];
    for (let i = 0; i < 300; i++) {
      const body = randomBytes(Math.floor(Math.random() * 200));
      // Two in three carry a valid header so the fuzz reaches the handlers' decoders.
      const [key, version] = versions[i % versions.length]!;
      const header = new Writer().int16(key!).int16(version!).int32(i).string('fuzz').toBuffer();
      garbage.push(i % 3 === 0 ? randomBytes(body.length + 4) : frame(Buffer.concat([header, body])));
    }
    await Promise.all(garbage.map(sendRaw));

    // A connection that was sent garbage is closed; a request on it never gets an answer.
    const raw = await RawKafkaClient.connect(double.brokers[0]!);
    const answered = raw.request(999, 0, Buffer.alloc(0));
    await expect(answered).rejects.toThrow('connection closed');

    const kafka = client();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'after-garbage', acks: -1, messages: [{ key: 'k', value: 'ok' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.fetchTopicOffsets('after-garbage')).toEqual([
      { partition: 0, offset: '1', high: '1', low: '0' },
    ]);
    await admin.disconnect();
  });

  it('answers an unsupported ApiVersions version with UNSUPPORTED_VERSION and its versions', async () => {
    const raw = await RawKafkaClient.connect(double.brokers[0]!);
    const r = await raw.request(18, 9, Buffer.alloc(0));
    expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const versions = r.array((a) => [a.int16(), a.int16(), a.int16()]);
    expect(versions).toContainEqual([0, 3, 3]);
    raw.close();
  });
});
