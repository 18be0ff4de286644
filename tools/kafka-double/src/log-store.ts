// In-memory topic logs: partitions of stored record batches with broker-assigned
// offsets, and per-producer sequence state so a retried idempotent batch is
// acknowledged with its original offset instead of being stored twice.
import { ErrorCode } from './protocol/error-codes.js';
import { encodeRecordBatch, type KafkaHeader, type RecordBatch } from './protocol/record-batch.js';

/** A record as a consumer would see it. */
export interface StoredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
}

interface StoredBatch {
  readonly batch: RecordBatch;
  readonly encoded: Buffer;
  readonly lastOffset: number;
}

interface ProducerState {
  epoch: number;
  lastSequence: number;
  /** The last few batches, as Kafka keeps them to recognise retries. */
  readonly recent: { baseSequence: number; lastSequence: number; baseOffset: number }[];
}

interface PartitionLog {
  readonly batches: StoredBatch[];
  nextOffset: number;
  readonly producers: Map<bigint, ProducerState>;
}

export interface AppendResult {
  readonly errorCode: number;
  readonly baseOffset: number;
}

const RECENT_BATCHES = 5;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's rule for topic names. */
export function isLegalTopicName(name: string): boolean {
  return LEGAL_TOPIC.test(name) && name !== '.' && name !== '..';
}
const INT32_MAX = 0x7fffffff;

function addSequence(seq: number, delta: number): number {
  return seq > INT32_MAX - delta ? delta - (INT32_MAX - seq) - 1 : seq + delta;
}

export class LogStore {
  readonly #topics = new Map<string, PartitionLog[]>();
  readonly #waiters = new Set<() => void>();
  #nextProducerId = 1000n;

  createTopic(name: string, partitions: number): boolean {
    if (this.#topics.has(name)) return false;
    const logs: PartitionLog[] = [];
    for (let i = 0; i < partitions; i++) logs.push({ batches: [], nextOffset: 0, producers: new Map() });
    this.#topics.set(name, logs);
    return true;
  }

  /** Drops a topic and its records; false when there is none. Long polls wake up. */
  deleteTopic(name: string): boolean {
    if (!this.#topics.delete(name)) return false;
    this.wakeAll();
    return true;
  }

  topicNames(): string[] {
    return [...this.#topics.keys()];
  }

  partitionCount(topic: string): number | undefined {
    return this.#topics.get(topic)?.length;
  }

  allocateProducerId(): bigint {
    return this.#nextProducerId++;
  }

  #log(topic: string, partition: number): PartitionLog | undefined {
    return this.#topics.get(topic)?.[partition];
  }

  append(topic: string, partition: number, batch: RecordBatch): AppendResult {
    const log = this.#log(topic, partition);
    if (log === undefined) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1 };
    const lastSequence = addSequence(batch.baseSequence, batch.lastOffsetDelta);
    let producer: ProducerState | undefined;
    if (batch.producerId >= 0n) {
      producer = log.producers.get(batch.producerId);
      if (producer !== undefined && batch.producerEpoch < producer.epoch) {
        return { errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1 };
      }
      if (producer === undefined || batch.producerEpoch > producer.epoch) {
        if (batch.baseSequence !== 0)
          return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1 };
        producer = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] };
        log.producers.set(batch.producerId, producer);
      } else {
        const retried = producer.recent.find(
          (b) => b.baseSequence === batch.baseSequence && b.lastSequence === lastSequence,
        );
        if (retried !== undefined) return { errorCode: ErrorCode.NONE, baseOffset: retried.baseOffset };
        if (batch.baseSequence !== addSequence(producer.lastSequence, 1)) {
          return { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1 };
        }
      }
    }
    const baseOffset = log.nextOffset;
    const stored: RecordBatch = { ...batch, baseOffset, partitionLeaderEpoch: 0 };
    log.batches.push({
      batch: stored,
      encoded: encodeRecordBatch(stored),
      lastOffset: baseOffset + batch.lastOffsetDelta,
    });
    log.nextOffset = baseOffset + batch.lastOffsetDelta + 1;
    if (producer !== undefined) {
      producer.lastSequence = lastSequence;
      producer.recent.push({ baseSequence: batch.baseSequence, lastSequence, baseOffset });
      if (producer.recent.length > RECENT_BATCHES) producer.recent.shift();
    }
    for (const wake of [...this.#waiters]) wake();
    return { errorCode: ErrorCode.NONE, baseOffset };
  }

  /** High watermark (= log end: every write is committed on a single broker). */
  highWatermark(topic: string, partition: number): number | undefined {
    return this.#log(topic, partition)?.nextOffset;
  }

  /** Encoded batches from `offset`; always at least one batch when any is there. */
  read(topic: string, partition: number, offset: number, maxBytes: number): Buffer[] {
    const log = this.#log(topic, partition);
    if (log === undefined) return [];
    const out: Buffer[] = [];
    let bytes = 0;
    for (const b of log.batches) {
      if (b.lastOffset < offset) continue;
      if (out.length > 0 && bytes + b.encoded.length > maxBytes) break;
      out.push(b.encoded);
      bytes += b.encoded.length;
    }
    return out;
  }

  /** ListOffsets: -1 latest, -2 earliest, else the first offset at or after the timestamp. */
  offsetForTimestamp(topic: string, partition: number, timestamp: number): number | undefined {
    const log = this.#log(topic, partition);
    if (log === undefined) return undefined;
    if (timestamp === -1) return log.nextOffset;
    if (timestamp === -2) return 0;
    for (const r of this.#records(topic, partition, log)) if (r.timestamp >= timestamp) return r.offset;
    return -1;
  }

  records(topic: string): StoredRecord[] {
    return (this.#topics.get(topic) ?? []).flatMap((log, partition) => this.#records(topic, partition, log));
  }

  #records(topic: string, partition: number, log: PartitionLog): StoredRecord[] {
    return log.batches.flatMap(({ batch }) =>
      batch.records.map((r) => ({
        topic,
        partition,
        offset: batch.baseOffset + r.offsetDelta,
        timestamp: batch.baseTimestamp + r.timestampDelta,
        key: r.key,
        value: r.value,
        headers: r.headers,
      })),
    );
  }

  /** Resolves on the next append or after `ms` (long-poll Fetch). */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
    });
  }

  /** Wakes every long poll (server shutdown). */
  wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
