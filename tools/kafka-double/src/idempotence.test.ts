// A retried idempotent batch (same producer id, epoch and sequence) is stored
// once, at the protocol level. Runs against the double, or KAFKA_BROKERS.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ErrorCode } from './protocol/error-codes.js';
import { Writer } from './protocol/primitives.js';
import { encodeRecordBatch } from './protocol/record-batch.js';
import { leaderOf, produceV3, RawKafkaClient, readProduceV3 } from './raw-client.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
});
afterAll(async () => {
  await double?.close();
});

function batch(producerId: bigint, epoch: number, baseSequence: number, values: string[]): Buffer {
  const now = Date.now();
  return encodeRecordBatch({
    baseOffset: 0,
    partitionLeaderEpoch: -1,
    attributes: 0,
    lastOffsetDelta: values.length - 1,
    baseTimestamp: now,
    maxTimestamp: now,
    producerId,
    producerEpoch: epoch,
    baseSequence,
    records: values.map((v, i) => ({
      offsetDelta: i,
      timestampDelta: 0,
      key: Buffer.from('k'),
      value: Buffer.from(v),
      headers: [],
    })),
  });
}

it('stores a retried batch once and answers it with the original offset; a gap is out of order', async () => {
  const topic = `idem-${randomUUID().slice(0, 8)}`;
  const leader = await leaderOf((external ?? double!.brokers)[0]!, topic, 0);
  const client = await RawKafkaClient.connect(leader);
  try {
    const init = await client.request(22, 1, new Writer().string(null).int32(60_000).toBuffer());
    init.int32();
    expect(init.int16()).toBe(ErrorCode.NONE);
    const producerId = init.int64();
    const epoch = init.int16();

    const first = batch(producerId, epoch, 0, ['a', 'b']);
    const stored = readProduceV3(await client.request(0, 3, produceV3(topic, 0, first)));
    const retried = readProduceV3(await client.request(0, 3, produceV3(topic, 0, first)));
    expect(stored.errorCode).toBe(ErrorCode.NONE);
    expect(retried).toEqual(stored);

    const next = readProduceV3(
      await client.request(0, 3, produceV3(topic, 0, batch(producerId, epoch, 2, ['c']))),
    );
    expect(next).toEqual({ errorCode: ErrorCode.NONE, baseOffset: stored.baseOffset + 2n });
    const gap = readProduceV3(
      await client.request(0, 3, produceV3(topic, 0, batch(producerId, epoch, 9, ['x']))),
    );
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

    const latest = await client.request(
      2,
      2,
      new Writer()
        .int32(-1)
        .int8(0)
        .array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(-1)))
        .toBuffer(),
    );
    latest.int32();
    latest.int32();
    latest.string();
    latest.int32();
    latest.int32();
    expect(latest.int16()).toBe(ErrorCode.NONE);
    latest.int64();
    expect(latest.int64()).toBe(stored.baseOffset + 3n);
    if (double !== undefined)
      expect(double.records(topic).map((r) => r.value?.toString())).toEqual(['a', 'b', 'c']);
  } finally {
    client.close();
  }
});
