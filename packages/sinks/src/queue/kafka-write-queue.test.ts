// Contract tests of the async write queue over the Kafka wire protocol: against
// the in-repo broker double by default, unchanged against a real broker when
// KAFKA_BROKERS is set (fault tests need the double and are skipped then).
import { randomUUID } from 'node:crypto';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { selfSignedCert } from '@flusso/net-kit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaWriteQueue, recordValue } from './kafka-write-queue.js';
import type { QueuedWrite } from './write-queue.js';
import { WriteQueueError } from './write-queue-error.js';

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

function write(partition: string, n: number): QueuedWrite {
  return {
    opId: unique(`op-${partition}-${n}`),
    partition,
    action: n % 2 === 0 ? 'index' : 'update',
    cluster: 'main',
    index: 'osproxy-shared',
    id: `${partition}:orders:${n}`,
    routing: partition,
    body: `{"n":${n},"name":"order ${n}","nested":{"tags":["a","b"]}}`,
    epoch: 3,
    traceparent: `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
  };
}

interface Consumed {
  readonly key: string | undefined;
  readonly value: unknown;
  readonly headers: Record<string, string | undefined>;
}

/** What a downstream consumer group sees, reading the topic from the beginning. */
async function readBack(topic: string, count: number): Promise<Consumed[]> {
  const kafka = new Kafka({ clientId: 'queue-reader', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: unique('reader'), heartbeatInterval: 500 });
  const seen: Consumed[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push({
            key: message.key?.toString(),
            value: JSON.parse(message.value?.toString() ?? 'null'),
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]),
            ),
          });
          if (seen.length >= count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('KafkaWriteQueue', () => {
  it('a consumer sees each write keyed by partition, as JSON, with op_id and traceparent, in order per key', async () => {
    const topic = unique('osproxy-writes');
    const queue = new KafkaWriteQueue({ brokers, topic, timeoutMs: 5_000 });
    const writes = [
      write('acme', 0),
      write('globex', 0),
      write('acme', 1),
      write('acme', 2),
      write('globex', 1),
    ];
    try {
      for (const w of writes) await queue.enqueue(w);
    } finally {
      await queue.close();
    }

    const seen = await readBack(topic, writes.length);
    for (const tenant of ['acme', 'globex']) {
      const expected = writes.filter((w) => w.partition === tenant);
      const got = seen.filter((m) => m.key === tenant);
      expect(got.map((m) => m.headers)).toEqual(
        expected.map((w) => ({ op_id: w.opId, traceparent: w.traceparent })),
      );
      expect(got.map((m) => m.value)).toEqual(expected.map((w) => JSON.parse(recordValue(w))));
    }
    expect(seen).toHaveLength(writes.length);
  });

  it('concurrent enqueues each land exactly once', async () => {
    // Overlapping enqueues have no order between them (kafkajs may swap concurrent
    // sends); only a write acknowledged before the next is sent is ordered.
    const topic = unique('osproxy-writes');
    const queue = new KafkaWriteQueue({ brokers, topic, timeoutMs: 5_000 });
    const writes = Array.from({ length: 8 }, (_, n) => write('acme', n));
    try {
      await Promise.all(writes.map((w) => queue.enqueue(w)));
    } finally {
      await queue.close();
    }
    const seen = await readBack(topic, writes.length);
    expect(seen.map((m) => m.headers.op_id).sort()).toEqual(writes.map((w) => w.opId).sort());
  });

  it('close() without any enqueue resolves', async () => {
    await new KafkaWriteQueue({ brokers, topic: unique('unused') }).close();
  });
});

describe.skipIf(external !== undefined)('KafkaWriteQueue when the broker fails', () => {
  it('a failing produce rejects with unavailable within a bounded time; it recovers', async () => {
    const topic = unique('osproxy-writes');
    const queue = new KafkaWriteQueue({ brokers, topic, timeoutMs: 1_000 });
    try {
      await queue.enqueue(write('acme', 0));
      double!.failProduce(19); // NOT_ENOUGH_REPLICAS: what acks = all gets when replicas are missing
      const started = Date.now();
      const error = await rejection(queue.enqueue(write('acme', 1)));
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(error).toBeInstanceOf(WriteQueueError);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true });
      expect(double!.records(topic)).toHaveLength(1);

      double!.failProduce(null);
      const later = write('acme', 2);
      await queue.enqueue(later);
      expect(
        double!.records(topic).map((r) => r.headers.find((h) => h.key === 'op_id')?.value?.toString()),
      ).toEqual([expect.any(String), later.opId]);
    } finally {
      double!.failProduce(null);
      await queue.close();
    }
  });

  it('a broker refusing connections rejects with unavailable; the next enqueue reconnects', async () => {
    const topic = unique('osproxy-writes');
    const queue = new KafkaWriteQueue({ brokers, topic, timeoutMs: 1_000 });
    try {
      double!.refuse(true);
      const started = Date.now();
      const error = await rejection(queue.enqueue(write('globex', 0)));
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(error).toMatchObject({ code: 'unavailable', retryable: true });
      double!.refuse(false);
      const w = write('globex', 1);
      await queue.enqueue(w);
      expect(double!.records(topic).map((r) => r.key?.toString())).toEqual(['globex']);
    } finally {
      double!.refuse(false);
      await queue.close();
    }
  });

  it('close() after a failed enqueue lets go of every broker connection', async () => {
    const queue = new KafkaWriteQueue({ brokers, topic: unique('osproxy-writes'), timeoutMs: 1_000 });
    await queue.enqueue(write('acme', 0));
    double!.failProduce(19);
    try {
      await rejection(queue.enqueue(write('acme', 1)));
    } finally {
      double!.failProduce(null);
    }
    await queue.close();
    const deadline = Date.now() + 2_000;
    while (double!.openConnections() > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(double!.openConnections()).toBe(0);
  });
});

describe.skipIf(external !== undefined)('KafkaWriteQueue to a managed broker (TLS + SASL)', () => {
  it('produces over TLS with SCRAM credentials; a wrong password is unavailable', async () => {
    const cert = selfSignedCert();
    const secure = await startKafkaDouble({
      tls: { cert: cert.cert, key: cert.key },
      sasl: { mechanism: ['plain', 'scram-sha-512'], users: { osproxy: 's3cret' } },
    });
    const topic = unique('osproxy-writes');
    const queue = new KafkaWriteQueue({
      brokers: secure.brokers,
      topic,
      timeoutMs: 1_000,
      tls: { ca: cert.cert },
      sasl: { mechanism: 'scram-sha-512', username: 'osproxy', password: 's3cret' },
    });
    const wrong = new KafkaWriteQueue({
      brokers: secure.brokers,
      topic,
      timeoutMs: 1_000,
      tls: { ca: cert.cert },
      sasl: { mechanism: 'plain', username: 'osproxy', password: 'guess' },
    });
    try {
      const w = write('acme', 0);
      await queue.enqueue(w);
      expect(secure.records(topic).map((r) => r.key?.toString())).toEqual(['acme']);
      const error = await rejection(wrong.enqueue(write('acme', 1)));
      expect(error).toMatchObject({ code: 'unavailable', retryable: true });
      // The failure names no credential.
      expect(JSON.stringify((error as WriteQueueError).context)).not.toContain('guess');
      expect(secure.records(topic)).toHaveLength(1);
    } finally {
      await queue.close();
      await wrong.close();
      await secure.close();
    }
  });
});
