import { documentIdFromTexts, parseIndexName, parseLsn } from '@flusso/core';
import type { DeadLetter } from '@flusso/engine';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgDeadLetterBook } from './pg-dead-letter-book.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());
beforeEach(async () => {
  await db.sql('DROP SCHEMA IF EXISTS flusso CASCADE');
});

const letter = (id: number, over: Partial<DeadLetter> = {}): DeadLetter => ({
  sink: 'primary',
  index: parseIndexName('users'),
  id: documentIdFromTexts([String(id)]),
  op: 'upsert',
  rejection: { type: 'mapper_parsing_exception', reason: 'failed to parse field [score]', status: 400 },
  lsn: parseLsn('0/16B3748'),
  at: 1_700_000_000_123,
  document: { id, score: 'abc', big: 9007199254740991 },
  ...over,
});

describe('PgDeadLetterBook (flusso.dead_letters)', () => {
  it('creates the table on open and reads back what it recorded', async () => {
    const book = await PgDeadLetterBook.open({ url: db.url, keepDocuments: true });
    try {
      await book.record([letter(1), letter(2, { sink: 'audit', op: 'delete', document: null, lsn: null })]);
      const listed = await book.list({});
      // Oldest first, then by sink, index and id.
      expect(listed).toEqual([
        { ...letter(2, { sink: 'audit', op: 'delete', document: null, lsn: null }), attempts: 1 },
        { ...letter(1), attempts: 1 },
      ]);
      expect(await book.list({ sink: 'audit' })).toHaveLength(1);
      expect(await book.list({ index: 'orders' })).toEqual([]);
      expect(await book.list({ since: 1_700_000_000_124 })).toEqual([]);
      expect(await book.counts()).toEqual([
        { sink: 'audit', index: 'users', count: 1 },
        { sink: 'primary', index: 'users', count: 1 },
      ]);
    } finally {
      await book.close();
    }
  });

  it('keeps one row per document: a repeated rejection replaces it and counts an attempt', async () => {
    const book = await PgDeadLetterBook.open({ url: db.url, keepDocuments: true });
    try {
      await book.record([letter(1)]);
      await book.record([letter(1, { at: 1_700_000_001_000, document: { id: 1, score: 'x' } }), letter(1)]);
      const [only, ...rest] = await book.list({});
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ attempts: 2, document: letter(1).document });
      expect(await book.remove([letter(1)])).toBe(1);
      expect(await book.list({})).toEqual([]);
    } finally {
      await book.close();
    }
  });

  it('keeps only the key with keep_documents = false, and purges by filter', async () => {
    const book = await PgDeadLetterBook.open({ url: db.url, keepDocuments: false });
    try {
      await book.record([letter(1), letter(2)]);
      expect((await book.list({})).map((l) => l.document)).toEqual([null, null]);
      expect(await book.purge({ id: '2' })).toBe(1);
      expect((await book.list({})).map((l) => l.id)).toEqual(['1']);
    } finally {
      await book.close();
    }
  });
});
