// The async-write topic's consumer: one kafkajs consumer group member that hands
// each fetched batch (one partition, offset order) to a handler, produces the
// records the handler returns (outcomes, dead letters) with acks = all, and only
// then commits the batch's offsets. A batch is never committed past a record the
// handler has not finished; a failure leaves it to be fetched again. kafkajs is
// loaded when the consumer starts, not when this module is imported.
import { type Clock, systemClock } from '@flusso/core';
import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { type KafkaConnection, kafkaConfigOf } from './kafka-client.js';
import { WriteQueueError } from './write-queue-error.js';

/** One record of the topic, as fetched. */
export interface ConsumedRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** A partition's records in offset order, and how many more the partition holds. */
export interface ConsumedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly ConsumedRecord[];
  /** Records past this batch on the partition when it was fetched. */
  readonly lag: number;
  /** Keeps the group membership alive during a long batch (retries). */
  heartbeat(): Promise<void>;
}

/** A record to produce (and have acknowledged) before the batch is committed. */
export interface ProducedRecord {
  readonly topic: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Applies one batch. Resolves with the records to produce before committing, or
 * `undefined` when it gave up (the consumer is stopping): then nothing is committed.
 */
export type BatchHandler = (
  batch: ConsumedBatch,
  signal: AbortSignal,
) => Promise<readonly ProducedRecord[] | undefined>;

export interface KafkaWriteConsumerOptions extends KafkaConnection {
  readonly topic: string;
  readonly groupId: string;
  /** Group session timeout, default 30 000 ms (how long a dead member holds its partitions). */
  readonly sessionTimeoutMs?: number;
  /** Called when the consumer stopped on an error it does not restart from. */
  readonly onCrash?: (error: unknown) => void;
  /**
   * Batches of this many partitions handed to the handler at once (default 1); the
   * handler must then be safe to run concurrently. Each partition stays in order.
   */
  readonly partitionsConsumedConcurrently?: number;
  /** Called each time this member (re)joined its group: its partitions may have changed. */
  readonly onGroupJoin?: () => void;
  /** Called after a batch's offsets were committed: `offset` is the next offset to read. */
  readonly onCommitted?: (topic: string, partition: number, offset: string, lag: number) => void;
  readonly clock?: Clock;
}

function headersOf(raw: EachBatchPayload['batch']['messages'][number]['headers']) {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    headers[name] = Array.isArray(value) ? value[0]?.toString() : value?.toString();
  }
  return headers;
}

function byTopic(records: readonly ProducedRecord[]) {
  const topics = new Map<
    string,
    { key: Buffer | string | null; value: Buffer | string; headers?: Record<string, string> }[]
  >();
  for (const r of records) {
    const list = topics.get(r.topic) ?? [];
    list.push({
      key: r.key,
      value: r.value,
      ...(r.headers === undefined ? {} : { headers: { ...r.headers } }),
    });
    topics.set(r.topic, list);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

export class KafkaWriteConsumer {
  readonly #options: KafkaWriteConsumerOptions;
  readonly #stopping = new AbortController();
  readonly #inflight = new Set<Promise<void>>();
  #closing = false;
  #consumer: Consumer | undefined;
  #producer: Producer | undefined;

  constructor(options: KafkaWriteConsumerOptions) {
    this.#options = options;
  }

  /** Joins the group and starts consuming; resolves once running. */
  async run(handler: BatchHandler): Promise<void> {
    const { Kafka, logLevel } = await import('kafkajs');
    const kafka = new Kafka({
      ...kafkaConfigOf(this.#options, 'osproxy-apply'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
    const consumer = kafka.consumer({
      groupId: this.#options.groupId,
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.#options.sessionTimeoutMs ?? 30_000) / 3)),
    });
    this.#producer = producer;
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.#options.onGroupJoin?.());
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.#options.onCrash?.(event.payload.error);
    });
    try {
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: this.#options.topic, fromBeginning: true });
    } catch (error) {
      throw new WriteQueueError('unavailable', 'the write topic could not be consumed', {
        context: { topic: this.#options.topic, reason: (error as { name?: string }).name ?? 'error' },
        cause: error,
      });
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => {
        // Once stopping, no new batch starts (nothing resolved: it is fetched again later).
        if (this.#closing) return Promise.resolve();
        const running = this.#batch(payload, handler, producer, consumer);
        const settled = running.then(
          () => undefined,
          () => undefined,
        );
        this.#inflight.add(settled);
        void settled.then(() => this.#inflight.delete(settled));
        return running;
      },
    });
  }

  async #batch(
    payload: EachBatchPayload,
    handler: BatchHandler,
    producer: Producer,
    consumer: Consumer,
  ): Promise<void> {
    const { batch } = payload;
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    const lag = Number(batch.offsetLag());
    const produced = await handler(
      {
        topic: batch.topic,
        partition: batch.partition,
        records: batch.messages.map((m) => ({
          offset: m.offset,
          key: m.key,
          value: m.value,
          headers: headersOf(m.headers),
        })),
        lag,
        heartbeat: payload.heartbeat,
      },
      this.#stopping.signal,
    );
    if (produced === undefined) return;
    if (produced.length > 0) await producer.sendBatch({ acks: -1, topicMessages: byTopic(produced) });
    const next = (BigInt(last.offset) + 1n).toString();
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    payload.resolveOffset(last.offset);
    this.#options.onCommitted?.(batch.topic, batch.partition, next, lag);
  }

  /**
   * Lets the batch in flight finish and commit, then leaves the group. A batch
   * still retrying after `graceMs` gives up uncommitted (it is fetched again later).
   */
  async stop(graceMs = 30_000): Promise<void> {
    const grace = new AbortController();
    (this.#options.clock ?? systemClock).sleep(graceMs, grace.signal).then(
      () => this.#stopping.abort(new Error('stopping')),
      () => undefined,
    );
    this.#closing = true;
    try {
      // Our own wait: kafkajs may leave the group before a batch's commit lands.
      await Promise.all(this.#inflight);
      await this.#consumer?.disconnect();
      await this.#producer?.disconnect();
    } finally {
      grace.abort();
      this.#stopping.abort(new Error('stopped'));
    }
  }
}
