// WriteQueue on Kafka (kafkajs): an idempotent producer with acks = all, keyed by
// partition so a tenant's writes share one Kafka partition (writes acknowledged
// one after another keep their order; overlapping ones have none to keep);
// connected lazily and reconnected by kafkajs. The message value is the resolved
// write as JSON; headers carry the op id and trace context (never document values).
import { FlussoError } from '@flusso/core';
import { Kafka, logLevel, type Producer, type SASLOptions } from 'kafkajs';
import type { QueuedWrite, WriteQueue } from './write-queue.js';

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaWriteQueueOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId?: string;
  /** Speak TLS to the brokers; `ca` replaces the system roots (PEM). */
  readonly tls?: { readonly ca?: string | Buffer };
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly password: string;
  };
  /**
   * How long one broker request may take, default 10 000 ms. kafkajs retries a
   * failed request up to 3 times (and connecting has its own 3 s), so an enqueue
   * can take a few times this before it fails with `queue_unavailable`.
   */
  readonly timeoutMs?: number;
}

// kafkajs types SASL as one object type per mechanism: the switch narrows ours onto it.
function saslOf(sasl: NonNullable<KafkaWriteQueueOptions['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

export class KafkaWriteQueue implements WriteQueue {
  readonly #options: KafkaWriteQueueOptions;
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;
  #started = false;

  constructor(options: KafkaWriteQueueOptions) {
    this.#options = options;
    const kafka = new Kafka({
      clientId: options.clientId ?? 'osproxy',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
      ...(options.tls === undefined
        ? {}
        : { ssl: options.tls.ca === undefined ? true : { ca: [options.tls.ca] } }),
      ...(options.sasl === undefined ? {} : { sasl: saslOf(options.sasl) }),
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
