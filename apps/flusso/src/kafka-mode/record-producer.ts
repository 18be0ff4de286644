// The capture role's producer: idempotent (exactly one copy per send, however
// often kafkajs retries), acks = all, one in-flight request so records of one key
// keep their order. `send` resolves only once the broker acknowledged every record.
import { FlussoError } from '@flusso/core';
import { type KafkaConnection, kafkaConfigOf } from '@flusso/sinks/kafka';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { EncodedRecord } from './pipeline-record.js';

export interface RecordSink {
  send(records: readonly EncodedRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface ChangeTopic extends KafkaConnection {
  readonly topic: string;
  /** Partitions the topic is created with when absent. */
  readonly partitions: number;
}

export class KafkaRecordProducer implements RecordSink {
  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  static async open(o: ChangeTopic): Promise<KafkaRecordProducer> {
    const kafka = new Kafka({
      ...kafkaConfigOf(o, 'flusso-capture'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await admin.connect();
      const existing = await admin.listTopics();
      if (!existing.includes(o.topic))
        await admin.createTopics({ topics: [{ topic: o.topic, numPartitions: o.partitions }] });
      await admin.disconnect();
      await producer.connect();
    } catch (error) {
      throw new FlussoError('sink_transient', 'the change topic could not be reached', {
        context: { topic: o.topic, reason: (error as { name?: string }).name ?? 'error' },
        cause: error,
      });
    }
    return new KafkaRecordProducer(producer, o.topic);
  }

  async send(records: readonly EncodedRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages: records.map((r) => ({ ...r })) });
    } catch (error) {
      throw new FlussoError('sink_transient', 'the change topic did not acknowledge a batch', {
        context: {
          topic: this.topic,
          records: records.length,
          reason: (error as { name?: string }).name ?? 'error',
        },
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
