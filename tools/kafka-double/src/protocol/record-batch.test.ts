import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { ErrorCode } from './error-codes.js';
import { Reader, Writer } from './primitives.js';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  type RecordBatch,
  RecordBatchError,
} from './record-batch.js';

// kafkajs's own record batch encoder/decoder is the reference for the byte layout.
interface KafkajsEncoder {
  readonly buffer: Buffer;
}
interface KafkajsRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
  readonly timestamp: string;
}
const require = createRequire(import.meta.url);
const kafkajsDir = require.resolve('kafkajs').replace(/index\.js$/, 'src/protocol/');
const { RecordBatch: encodeWithKafkajs } = require(`${kafkajsDir}recordBatch/v0/index.js`) as {
  RecordBatch: (o: Record<string, unknown>) => Promise<KafkajsEncoder>;
};
const kafkajsRecord = require(`${kafkajsDir}recordBatch/record/v0/index.js`) as (
  o: Record<string, unknown>,
) => unknown;
const decodeWithKafkajs = require(`${kafkajsDir}recordBatch/v0/decoder.js`) as (
  d: unknown,
) => Promise<{ records: KafkajsRecord[]; firstOffset: string; producerId: string; firstSequence: number }>;
const KafkajsDecoder = require(`${kafkajsDir}decoder.js`) as new (b: Buffer) => unknown;
const Long = require(require.resolve('kafkajs').replace(/index\.js$/, 'src/utils/long.js')) as {
  fromValue(v: number | string): unknown;
};

const sample: RecordBatch = {
  baseOffset: 42,
  partitionLeaderEpoch: 0,
  attributes: 0,
  lastOffsetDelta: 1,
  baseTimestamp: 1_700_000_000_000,
  maxTimestamp: 1_700_000_000_005,
  producerId: 1000n,
  producerEpoch: 0,
  baseSequence: 7,
  records: [
    { offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [] },
    {
      offsetDelta: 1,
      timestampDelta: 5,
      key: null,
      value: Buffer.from('{"a":1}'),
      headers: [{ key: 'op_id', value: Buffer.from('op-1') }],
    },
  ],
};

describe('record batch v2', () => {
  it('CRC-32C matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('zigzag varints round-trip at the edges', () => {
    const values = [0, -1, 1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)];
    const w = new Writer();
    for (const v of values) w.varint(v);
    w.varlong(-(2n ** 63n)).varlong(2n ** 63n - 1n);
    const r = new Reader(w.toBuffer());
    expect(values.map(() => r.varint())).toEqual(values);
    expect([r.varlong(), r.varlong()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
  });

  it('decodes what kafkajs encodes, CRC checked', async () => {
    const encoded = await encodeWithKafkajs({
      firstOffset: Long.fromValue(0),
      firstTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_003,
      producerId: Long.fromValue(77),
      producerEpoch: 2,
      firstSequence: 5,
      lastOffsetDelta: 1,
      records: [
        kafkajsRecord({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('a'), value: Buffer.from('1') }),
        kafkajsRecord({
          offsetDelta: 1,
          timestampDelta: 3,
          key: Buffer.from('b'),
          value: null,
          headers: { h: Buffer.from('x') },
        }),
      ],
    });
    const [batch] = decodeRecordBatches(encoded.buffer);
    expect(batch).toMatchObject({ producerId: 77n, producerEpoch: 2, baseSequence: 5, lastOffsetDelta: 1 });
    expect(
      batch?.records.map((r) => [r.key?.toString(), r.value?.toString() ?? null, r.timestampDelta]),
    ).toEqual([
      ['a', '1', 0],
      ['b', null, 3],
    ]);
    expect(batch?.records[1]?.headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  });

  it('kafkajs decodes what the double encodes', async () => {
    const decoded = await decodeWithKafkajs(new KafkajsDecoder(encodeRecordBatch(sample)));
    expect(decoded).toMatchObject({ firstOffset: '42', producerId: '1000', firstSequence: 7 });
    expect(
      decoded.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString(), r.timestamp]),
    ).toEqual([
      ['42', 'k1', 'v1', '1700000000000'],
      ['43', null, '{"a":1}', '1700000000005'],
    ]);
    expect(decoded.records[1]?.headers).toEqual({ op_id: Buffer.from('op-1') });
  });

  it('round-trips through its own codec', () => {
    expect(decodeRecordBatches(encodeRecordBatch(sample))).toEqual([sample]);
  });

  it('refuses a batch whose bytes do not match its CRC', () => {
    const bytes = encodeRecordBatch(sample);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    expect(() => decodeRecordBatches(bytes)).toThrow(RecordBatchError);
    try {
      decodeRecordBatches(bytes);
    } catch (error) {
      expect((error as RecordBatchError).code).toBe(ErrorCode.CORRUPT_MESSAGE);
    }
  });
});
