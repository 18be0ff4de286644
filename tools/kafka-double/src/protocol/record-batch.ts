// Record batch v2 (magic 2): decoding what producers send, with CRC-32C
// validation, and encoding what Fetch returns. Only "none" and gzip compression.
import { gunzipSync } from 'node:zlib';
import { ProtocolError } from '../errors.js';
import { crc32c } from './crc32c.js';
import { ErrorCode } from './error-codes.js';
import { Reader, Writer } from './primitives.js';

export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface BatchRecord {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
}

export interface RecordBatch {
  readonly baseOffset: number;
  readonly partitionLeaderEpoch: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly records: readonly BatchRecord[];
}

/** A batch the broker must refuse; `code` is the Kafka error code to answer. */
export class RecordBatchError extends Error {
  override readonly name = 'RecordBatchError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const MAGIC = 2;
const COMPRESSION_MASK = 0x07;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
// Bytes from partitionLeaderEpoch to the record count (the fixed v2 header after length).
const HEADER_AFTER_LENGTH = 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

export function isTransactional(batch: RecordBatch): boolean {
  return (batch.attributes & TRANSACTIONAL_FLAG) !== 0;
}
export function isControl(batch: RecordBatch): boolean {
  return (batch.attributes & CONTROL_FLAG) !== 0;
}

/** Decodes every batch of a RECORDS field (as sent in Produce). */
export function decodeRecordBatches(records: Buffer): RecordBatch[] {
  const r = new Reader(records);
  const batches: RecordBatch[] = [];
  while (r.remaining > 0) batches.push(decodeOne(r));
  return batches;
}

function decodeOne(r: Reader): RecordBatch {
  const baseOffset = r.int64n();
  const length = r.int32();
  if (length < HEADER_AFTER_LENGTH || length > r.remaining) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `bad batch length ${length}`);
  }
  const b = new Reader(r.raw(length));
  const partitionLeaderEpoch = b.int32();
  const magic = b.int8();
  if (magic !== MAGIC) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `unsupported magic ${magic}`);
  }
  const crc = b.uint32();
  const checked = b.buffer.subarray(9);
  if (crc32c(checked) !== crc) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'CRC mismatch');
  const attributes = b.int16();
  const lastOffsetDelta = b.int32();
  const baseTimestamp = b.int64n();
  const maxTimestamp = b.int64n();
  const producerId = b.int64();
  const producerEpoch = b.int16();
  const baseSequence = b.int32();
  const count = b.int32();
  let body: Reader;
  switch (attributes & COMPRESSION_MASK) {
    case 0:
      body = b;
      break;
    case 1:
      body = new Reader(gunzip(b.rest()));
      break;
    default:
      throw new RecordBatchError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'only none and gzip');
  }
  if (count < 0 || count > body.remaining) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, `bad record count ${count}`);
  }
  const records: BatchRecord[] = [];
  try {
    for (let i = 0; i < count; i++) records.push(decodeRecord(body));
  } catch (error) {
    if (error instanceof ProtocolError) throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, error.message);
    throw error;
  }
  if (records.length > 0 && records.at(-1)!.offsetDelta !== lastOffsetDelta) {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'lastOffsetDelta does not match the records');
  }
  return {
    baseOffset,
    partitionLeaderEpoch,
    attributes,
    lastOffsetDelta,
    baseTimestamp,
    maxTimestamp,
    producerId,
    producerEpoch,
    baseSequence,
    records,
  };
}

function gunzip(data: Buffer): Buffer {
  try {
    return gunzipSync(data);
  } catch {
    throw new RecordBatchError(ErrorCode.CORRUPT_MESSAGE, 'gzip payload does not inflate');
  }
}

function decodeRecord(r: Reader): BatchRecord {
  const length = r.varint();
  if (length < 0) throw new ProtocolError(`bad record length ${length}`);
  const rec = new Reader(r.raw(length));
  rec.int8(); // record attributes: unused since 0.11
  const timestampDelta = Number(rec.varlong());
  const offsetDelta = rec.varint();
  const key = rec.varintBytes();
  const value = rec.varintBytes();
  const headerCount = rec.varint();
  if (headerCount < 0 || headerCount > rec.remaining) throw new ProtocolError('bad header count');
  const headers: KafkaHeader[] = [];
  for (let i = 0; i < headerCount; i++) headers.push({ key: rec.varintString(), value: rec.varintBytes() });
  return { offsetDelta, timestampDelta, key, value, headers };
}

/** Encodes one uncompressed batch, CRC-32C included. */
export function encodeRecordBatch(batch: RecordBatch): Buffer {
  const body = new Writer()
    .int16(batch.attributes & ~COMPRESSION_MASK)
    .int32(batch.lastOffsetDelta)
    .int64(batch.baseTimestamp)
    .int64(batch.maxTimestamp)
    .int64(batch.producerId)
    .int16(batch.producerEpoch)
    .int32(batch.baseSequence)
    .array(batch.records, (w, rec) => w.raw(encodeRecord(rec)))
    .toBuffer();
  const afterLength = new Writer()
    .int32(batch.partitionLeaderEpoch)
    .int8(MAGIC)
    .uint32(crc32c(body))
    .raw(body)
    .toBuffer();
  return new Writer().int64(batch.baseOffset).int32(afterLength.length).raw(afterLength).toBuffer();
}

function encodeRecord(rec: BatchRecord): Buffer {
  const body = new Writer()
    .int8(0)
    .varlong(BigInt(rec.timestampDelta))
    .varint(rec.offsetDelta)
    .varintBytes(rec.key)
    .varintBytes(rec.value)
    .varint(rec.headers.length);
  for (const h of rec.headers) body.varintBytes(Buffer.from(h.key, 'utf8')).varintBytes(h.value);
  const bytes = body.toBuffer();
  return new Writer().varint(bytes.length).raw(bytes).toBuffer();
}
