// WriteQueue on Kafka (kafkajs): an idempotent producer with acks = all, keyed by
// partition so a tenant's writes share one Kafka partition (writes acknowledged
// one after another keep their order; overlapping ones have none to keep);
// connected lazily and reconnected by kafkajs. The message value is the resolved
// write as JSON; headers carry the op id and trace context (never document values).
import type { Producer } from 'kafkajs';
import { type KafkaConnection, kafkaConfigOf } from './kafka-client.js';
import type { QueuedWrite, WriteQueue } from './write-queue.js';
import { WriteQueueError } from './write-queue-error.js';

export interface KafkaWriteQueueOptions extends KafkaConnection {
  readonly topic: string;
  /**
   * How long one broker request may take, default 10 000 ms. kafkajs retries a
   * failed request up to 3 times (and connecting has its own 3 s), so an enqueue
   * can take a few times this before it fails with `queue_unavailable`.
   */
  readonly timeoutMs?: number;
}

/**
 * The record value: the write as JSON with its body spliced in as the exact text the
 * proxy resolved, so no number is re-rounded on the way to the applier.
 */
export function recordValue(write: QueuedWrite): string {
  const { body, ...rest } = write;
  return `${JSON.stringify(rest).slice(0, -1)},"body":${body ?? 'null'}}`;
}

export class KafkaWriteQueue implements WriteQueue {
  readonly #options: KafkaWriteQueueOptions;
  #producer: Promise<Producer> | undefined;
  #connected: Promise<void> | undefined;
  #started = false;

  constructor(options: KafkaWriteQueueOptions) {
    this.#options = options;
  }

  /** kafkajs loads with the first enqueue, not when the proxy starts. */
  #producerOf(): Promise<Producer> {
    this.#producer ??= import('kafkajs').then(({ Kafka, logLevel }) =>
      new Kafka({
        ...kafkaConfigOf(this.#options, 'osproxy'),
        logLevel: logLevel.NOTHING,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
      }).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true }),
    );
    return this.#producer;
  }

  async enqueue(write: QueuedWrite): Promise<void> {
    try {
      this.#started = true;
      const producer = await this.#producerOf();
      this.#connected ??= producer.connect();
      await this.#connected;
      await producer.send({
        topic: this.#options.topic,
        acks: -1,
        timeout: this.#options.timeoutMs ?? 10_000,
        messages: [
          {
            key: write.partition,
            value: recordValue(write),
            headers: { op_id: write.opId, traceparent: write.traceparent },
          },
        ],
      });
    } catch (error) {
      // A failed connect is retried on the next enqueue.
      this.#connected = undefined;
      throw new WriteQueueError('unavailable', 'the write queue did not acknowledge the write', {
        context: { topic: this.#options.topic, reason: (error as { name?: string }).name ?? 'error' },
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    // Not `#connected`: a failed enqueue clears it while the producer still holds connections.
    if (this.#started && this.#producer !== undefined) await (await this.#producer).disconnect();
  }
}
