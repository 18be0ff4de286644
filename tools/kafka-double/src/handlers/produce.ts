// Produce (key 0) v3: record batch v2 only. Batches are validated (CRC-32C,
// consecutive offset deltas) before anything of a partition is stored, and the
// answer (acks 1 or -1) is sent after storing; acks 0 gets no answer. A lost-ack
// fault stores the records, then drops the connection instead of answering.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import { decodeRecordBatches, type RecordBatch, RecordBatchError } from '../protocol/record-batch.js';
import type { Api, BrokerContext } from './context.js';

interface PartitionResult {
  readonly partition: number;
  readonly errorCode: number;
  readonly baseOffset: number;
}

function validated(records: Buffer | null): RecordBatch[] {
  const batches = records === null ? [] : decodeRecordBatches(records);
  if (batches.length === 0) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'no record batch');
  for (const b of batches) {
    if (b.records.length === 0 || b.records.some((r, i) => r.offsetDelta !== i)) {
      throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'offset deltas must be 0..n-1');
    }
  }
  return batches;
}

function produceOne(
  ctx: BrokerContext,
  topic: string,
  partition: number,
  records: Buffer | null,
): PartitionResult {
  const fail = (errorCode: number): PartitionResult => ({ partition, errorCode, baseOffset: -1 });
  if (ctx.faults.produceError !== null) return fail(ctx.faults.produceError);
  if (ctx.store.highWatermark(topic, partition) === undefined)
    return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  let batches: RecordBatch[];
  try {
    batches = validated(records);
  } catch (error) {
    if (error instanceof RecordBatchError) return fail(error.code);
    throw error;
  }
  let baseOffset = -1;
  for (const batch of batches) {
    const r = ctx.store.append(topic, partition, batch);
    if (r.errorCode !== ErrorCode.NONE) return fail(r.errorCode);
    if (baseOffset === -1) baseOffset = r.baseOffset;
  }
  return { partition, errorCode: ErrorCode.NONE, baseOffset };
}

export const produce: Api = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 3,
  handle: (body, _header, ctx, connection) => {
    body.nullableString(); // transactional id
    const acks = body.int16();
    body.int32(); // timeout: storing is synchronous
    const topics = body.array((r) => ({
      topic: r.string(),
      partitions: r.array((p) => ({ partition: p.int32(), records: p.nullableBytes() })),
    }));
    const results = topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((p) => produceOne(ctx, topic, p.partition, p.records)),
    }));
    if (acks === 0) return null;
    const stored = results.some((t) => t.partitions.some((p) => p.errorCode === ErrorCode.NONE));
    if (stored && ctx.faults.lostProduceAcks > 0) {
      // Stored, but the ack never reaches the client: it sees the connection drop.
      ctx.faults.lostProduceAcks--;
      connection.drop();
      return null;
    }
    return new Writer()
      .array(results, (w, t) =>
        w
          .string(t.topic)
          .array(t.partitions, (w, p) =>
            w.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(-1),
          ),
      )
      .int32(0)
      .toBuffer();
  },
};
