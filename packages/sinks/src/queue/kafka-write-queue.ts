// WriteQueue on Kafka (kafkajs): an idempotent producer with acks = all, keyed by
// partition so a tenant's writes stay ordered; connected lazily and reconnected
// by kafkajs. The message value is the resolved write as JSON; headers carry the
// op id and trace context (never document values).
import { FlussoError } from '@flusso/core';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { QueuedWrite, WriteQueue } from './write-queue.js';

export interface KafkaWriteQueueOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId?: string;
  /** How long one enqueue may take, retries included. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

export class KafkaWriteQueue implements WriteQueue {
  readonly #options: KafkaWriteQueueOptions;
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;

  constructor(options: KafkaWriteQueueOptions) {
    this.#options = options;
    const kafka = new Kafka({
      clientId: options.clientId ?? 'osproxy',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: options.timeoutMs ?? 10_000,
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
    if (this.#connected !== undefined) await this.#producer.disconnect();
  }
}
