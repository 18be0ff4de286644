// A DeadLetterBook on a Kafka topic: each letter is a record keyed by (sink,
// index, id), produced idempotently with acks = all before the batch is acked; a
// removed letter is a tombstone (null value), so a compacted topic keeps the
// current set. Reading folds the topic from the beginning up to its end offsets
// with a throw-away consumer group (list, replay, purge and counts read it whole).
import { randomUUID } from 'node:crypto';
import {
  type DocumentId,
  type ExactJson,
  type ExactObject,
  FlussoError,
  formatLsn,
  type IndexName,
  parseExactJson,
  parseLsn,
  stringifyExact,
} from '@flusso/core';
import type { DeadLetterBook, DeadLetterCount, DeadLetterFilter, StoredDeadLetter } from '@flusso/daemon';
import type { DeadLetter } from '@flusso/engine';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { deadLetterMatches } from './dead-letter-filter.js';

export interface KafkaDeadLetterBookOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly keepDocuments: boolean;
  /** How long reading the topic to its end may take. */
  readonly readTimeoutMs?: number;
}

type Key = Pick<DeadLetter, 'sink' | 'index' | 'id'>;
const keyOf = (k: Key) => JSON.stringify([k.sink, k.index, k.id]);

interface Encoded extends Omit<DeadLetter, 'lsn'> {
  readonly lsn: string | null;
}

function decode(value: Buffer, previous: StoredDeadLetter | undefined): StoredDeadLetter {
  const e = parseExactJson(value.toString('utf8')) as unknown as Encoded;
  return {
    ...e,
    index: e.index as IndexName,
    id: e.id as DocumentId,
    lsn: e.lsn === null ? null : parseLsn(e.lsn),
    document: (e.document ?? null) as ExactObject | null,
    attempts: (previous?.attempts ?? 0) + 1,
  };
}

export class KafkaDeadLetterBook implements DeadLetterBook {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(private readonly o: KafkaDeadLetterBookOptions) {
    this.kafka = new Kafka({
      clientId: 'flusso-dead-letters',
      brokers: [...o.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
  }

  async record(letters: readonly DeadLetter[]): Promise<void> {
    await this.send(
      letters.map((l) => {
        const encoded: Encoded = {
          ...l,
          lsn: l.lsn === null ? null : formatLsn(l.lsn),
          document: this.o.keepDocuments ? l.document : null,
        };
        return { key: keyOf(l), value: stringifyExact(encoded as unknown as ExactJson) };
      }),
    );
  }

  async remove(keys: readonly Key[]): Promise<number> {
    const present = new Set((await this.fold()).keys());
    const removing = keys.filter((k) => present.has(keyOf(k)));
    await this.send(removing.map((k) => ({ key: keyOf(k), value: null })));
    return removing.length;
  }

  async purge(filter: DeadLetterFilter): Promise<number> {
    return this.remove(await this.list(filter));
  }

  async list(filter: DeadLetterFilter): Promise<readonly StoredDeadLetter[]> {
    return [...(await this.fold()).values()]
      .filter((l) => deadLetterMatches(l, filter))
      .sort((a, b) => a.at - b.at || keyOf(a).localeCompare(keyOf(b)));
  }

  async counts(): Promise<readonly DeadLetterCount[]> {
    const counts = new Map<string, DeadLetterCount>();
    for (const l of (await this.fold()).values()) {
      const k = `${l.sink}/${l.index}`;
      counts.set(k, { sink: l.sink, index: l.index, count: (counts.get(k)?.count ?? 0) + 1 });
    }
    return [...counts.values()];
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }

  private async send(messages: { key: string; value: string | null }[]): Promise<void> {
    if (messages.length === 0) return;
    this.connected ??= this.producer.connect();
    await this.connected;
    await this.producer.send({ topic: this.o.topic, acks: -1, messages });
  }

  /** The current letters: the topic read to its end offsets, newest record per key, tombstones removed. */
  private async fold(): Promise<Map<string, StoredDeadLetter>> {
    const ends = await this.endOffsets();
    const letters = new Map<string, StoredDeadLetter>();
    const pending = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
    if (pending.size === 0) return letters;
    const consumer = this.kafka.consumer({ groupId: `flusso-dlq-${randomUUID()}`, heartbeatInterval: 500 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new FlussoError('sink_transient', `timed out reading topic ${this.o.topic}`)),
          this.o.readTimeoutMs ?? 30_000,
        );
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              const key = message.key?.toString('utf8') ?? '';
              if (message.value === null) letters.delete(key);
              else letters.set(key, decode(message.value, letters.get(key)));
              if (Number(message.offset) + 1 >= (ends.get(partition) ?? 0)) pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
    return letters;
  }

  private async endOffsets(): Promise<Map<number, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(this.o.topic)) return new Map();
      const offsets = await admin.fetchTopicOffsets(this.o.topic);
      return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
