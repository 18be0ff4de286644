// WriteQueue on Kafka (kafkajs): an idempotent producer with acks = all, keyed by
// partition so a tenant's writes share one Kafka partition (writes acknowledged
// one after another keep their order; overlapping ones have none to keep);
// connected lazily and reconnected by kafkajs. The message value is the resolved
// write as JSON; headers carry the op id and trace context (never document values).
import { FlussoError } from '@flusso/core';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { type KafkaConnection, kafkaConfigOf } from './kafka-client.js';
import type { QueuedWrite, WriteQueue } from './write-queue.js';

export interface KafkaWriteQueueOptions extends KafkaConnection {
  readonly topic: string;
  /**
   * How long one broker request may take, default 10 000 ms. kafkajs retries a
   * failed request up to 3 times (and connecting has its own 3 s), so an enqueue
   * can take a few times this before it fails with `queue_unavailable`.
   */
  readonly timeoutMs?: number;
}

export class KafkaWriteQueue implements WriteQueue {
  readonly #options: KafkaWriteQueueOptions;
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;
  #started = false;

  constructor(options: KafkaWriteQueueOptions) {
    this.#options = options;
    const kafka = new Kafka({
      ...kafkaConfigOf(options, 'osproxy'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.#producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
  }

  async enqueue(write: QueuedWrite): Promise<void> {
    try {
      this.#started = true;
      this.#connected ??= this.#producer.connect();
      await this.#connected;
      await this.#producer.send({
        topic: this.#options.topic,
        acks: -1,
        timeout: this.#options.timeoutMs ?? 10_000,
        messages: [
          {
            key: write.partition,
            value: JSON.stringify(write),
            headers: { op_id: write.opId, traceparent: write.traceparent },
          },
        ],
      });
    } catch (error) {
      // A failed connect is retried on the next enqueue.
      this.#connected = undefined;
      throw new FlussoError('queue_unavailable', 'the write queue did not acknowledge the write', {
        context: { topic: this.#options.topic, reason: (error as { name?: string }).name ?? 'error' },
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    // Not `#connected`: a failed enqueue clears it while the producer still holds connections.
    if (this.#started) await this.#producer.disconnect();
  }
}
