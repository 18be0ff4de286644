import { documentIdFromTexts, parseIndexName, parseLsn } from '@flusso/core';
import type { DeadLetter } from '@flusso/engine';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaDeadLetterBook } from './kafka-dead-letter-book.js';

// Against a real broker when KAFKA_BROKERS is set (comma-separated host:port).
const external = process.env.KAFKA_BROKERS?.split(',').filter((b) => b !== '');
let broker: KafkaDouble | null = null;
let brokers: string[] = [];
let topics = 0;
beforeAll(async () => {
  if (external?.length) brokers = external;
  else {
    broker = await startKafkaDouble();
    brokers = broker.brokers;
  }
});
afterAll(async () => broker?.close());

const letter = (id: number, over: Partial<DeadLetter> = {}): DeadLetter => ({
  sink: 'primary',
  index: parseIndexName('users'),
  id: documentIdFromTexts([String(id)]),
  op: 'upsert',
  rejection: { type: 'mapper_parsing_exception', reason: 'failed to parse field [score]', status: 400 },
  lsn: parseLsn('0/16B3748'),
  at: 1_700_000_000_000 + id,
  document: { id, score: 'abc' },
  ...over,
});

function book(keepDocuments = true): KafkaDeadLetterBook {
  topics += 1;
  return new KafkaDeadLetterBook({ brokers, topic: `dlq-${Date.now()}-${topics}`, keepDocuments });
}

describe('KafkaDeadLetterBook (a topic)', () => {
  it('reads back what it recorded; a repeated rejection counts an attempt; removal is a tombstone', async () => {
    const b = book();
    try {
      expect(await b.list({})).toEqual([]);
      await b.record([letter(1), letter(2, { sink: 'audit', document: null, op: 'delete', lsn: null })]);
      await b.record([letter(1)]);
      expect(await b.list({})).toEqual([
        { ...letter(1), attempts: 2 },
        { ...letter(2, { sink: 'audit', document: null, op: 'delete', lsn: null }), attempts: 1 },
      ]);
      expect(await b.counts()).toEqual([
        { sink: 'primary', index: 'users', count: 1 },
        { sink: 'audit', index: 'users', count: 1 },
      ]);
      expect(await b.remove([letter(1)])).toBe(1);
      expect((await b.list({})).map((l) => l.id)).toEqual(['2']);
      expect(await b.purge({ sink: 'audit' })).toBe(1);
      expect(await b.list({})).toEqual([]);
    } finally {
      await b.close();
    }
  }, 60_000);

  it('keeps only the key with keep_documents = false', async () => {
    const b = book(false);
    try {
      await b.record([letter(3)]);
      expect((await b.list({ id: '3' })).map((l) => l.document)).toEqual([null]);
    } finally {
      await b.close();
    }
  }, 60_000);
});
