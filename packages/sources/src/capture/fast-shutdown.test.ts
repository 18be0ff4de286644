// A fast shutdown of the source while flusso streams from it. Postgres ends ordinary
// sessions first, then each logical walsender waits until its client confirmed all it
// was sent (walsender.c, WalSndDone): a change flusso cannot deliver (its document can
// no longer be built) used to hold the shutdown for as long as flusso stayed connected.
import { type Change, FlussoError, parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyText, newCapture } from './capture-test-kit.fixture.js';
import { PgChangeCapture } from './pg-change-capture.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

/** Reads changes in the background; `ended` settles with how the stream ended. */
function read(capture: PgChangeCapture) {
  const changes: Change[] = [];
  const stop = new AbortController();
  const ended = (async () => {
    for await (const change of capture.changes(stop.signal)) changes.push(change);
    return 'ended' as const;
  })().catch((error: unknown) => error);
  return { changes, ended, stop: () => stop.abort() };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A shutdown that does not finish in this many seconds is stopped immediately and reported as
// `forced`; a clean one takes well under a second.
const FAST_STOP_S = 30;

describe.each(testedVersions())('a fast shutdown of Postgres %i under a live capture', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ version });
  });
  afterAll(async () => db?.close());

  it.skipIf(process.env.DATABASE_URL !== undefined)(
    'finishes with a change still unconfirmed; the stream fails retryable and the change comes again',
    async () => {
      await db.sql('CREATE TABLE held (id int PRIMARY KEY)');
      const { capture, name } = newCapture(db.url, 'held');
      await capture.prepare([table('held')]);
      const live = read(capture);
      await db.sql('INSERT INTO held VALUES (1)');
      await until('the change', () => live.changes.length === 1);
      // Never acked: what a document pending in a held build or sink looks like to the capture.
      const outcome = await db.cluster?.restart({ fastStopTimeoutS: FAST_STOP_S });
      expect(outcome?.fastStop).toBe('clean');
      const ended = await live.ended;
      expect(ended).toBeInstanceOf(FlussoError);
      expect(ended).toMatchObject({ code: 'source_failed', retryable: true });
      await capture.close();

      const again = new PgChangeCapture({
        url: db.url,
        slot: name,
        publication: name,
        statusIntervalMs: 200,
      });
      await again.prepare([table('held')]);
      const resumed = read(again);
      await until('the change again', () => resumed.changes.length === 1);
      expect(resumed.changes.map(keyText)).toEqual(['upsert:held:1']);
      resumed.stop();
      await again.close();
    },
    120_000,
  );

  it.skipIf(process.env.DATABASE_URL !== undefined)(
    'finishes when everything was confirmed, and resumes from there',
    async () => {
      await db.sql('CREATE TABLE done_t (id int PRIMARY KEY)');
      const { capture, name } = newCapture(db.url, 'done_t');
      await capture.prepare([table('done_t')]);
      const live = read(capture);
      await db.sql('INSERT INTO done_t VALUES (1)');
      await until('the change', () => live.changes.length === 1);
      live.changes[0]?.ack();
      const outcome = await db.cluster?.restart({ fastStopTimeoutS: FAST_STOP_S });
      expect(outcome?.fastStop).toBe('clean');
      await live.ended;
      await capture.close();

      const again = new PgChangeCapture({
        url: db.url,
        slot: name,
        publication: name,
        statusIntervalMs: 200,
      });
      await again.prepare([table('done_t')]);
      const resumed = read(again);
      await db.sql('INSERT INTO done_t VALUES (2)');
      await until('the next change', () => resumed.changes.some((c) => keyText(c) === 'upsert:done_t:2'));
      // At least once: a server before 17 may not have saved the slot's last confirmed
      // position at its shutdown checkpoint, so the confirmed change may come again.
      expect(['upsert:done_t:1,upsert:done_t:2', 'upsert:done_t:2']).toContain(
        resumed.changes.map(keyText).join(','),
      );
      resumed.stop();
      await again.close();
    },
    120_000,
  );
});
