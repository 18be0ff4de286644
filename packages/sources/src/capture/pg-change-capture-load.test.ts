import { parseSchemaName, parseTableName, valueToText } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCapture } from './capture-test-kit.fixture.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

describe.each(testedVersions())('PgChangeCapture under load on Postgres %i', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ version, settings: { logical_decoding_work_mem: "'64kB'" } });
  });
  afterAll(async () => db?.close());

  it('streams a 200 000-row transaction before its commit with bounded memory', async () => {
    await db.sql('CREATE TABLE big (id int PRIMARY KEY, pad text)');
    const { capture } = newCapture(db.url, 'big');
    await capture.prepare([table('big')]);
    await db.sql("INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 200000) AS i");
    const stop = new AbortController();
    let count = 0;
    let streamed = 0;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    for await (const change of capture.changes(stop.signal)) {
      count += 1;
      if (change.streamed) streamed += 1;
      change.ack();
      if (count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      if (count === 200_000) break;
    }
    stop.abort();
    await capture.close();
    process.stdout.write(
      `PG ${version}: 200000-row txn: ${streamed} changes streamed before commit; RSS baseline ${(baseline / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB\n`,
    );
    expect(count).toBe(200_000);
    expect(streamed).toBe(200_000);
  }, 120_000);

  it('loses nothing committed while a backfill reads the exported snapshot', async () => {
    await db.sql('CREATE TABLE busy (id int PRIMARY KEY)');
    await db.sql('INSERT INTO busy SELECT generate_series(1, 500)');
    const { capture } = newCapture(db.url, 'busy');
    expect((await capture.prepare([table('busy')])).resumed).toBe(false);
    let writing = true;
    const writer = (async () => {
      for (let id = 1001; writing || id < 1050; id++) {
        await db.sql(`INSERT INTO busy VALUES (${id})`);
        if (id % 7 === 0) await db.sql(`DELETE FROM busy WHERE id = ${id - 1000}`);
      }
    })();
    const seen = new Set<string>();
    for await (const page of capture.snapshot({ table: table('busy'), keyColumns: ['id' as never] }, 50)) {
      for (const key of page.keys) seen.add(String(valueToText(key[0] ?? { kind: 'null' })));
      await new Promise((r) => setTimeout(r, 5));
    }
    writing = false;
    await writer;
    const finalRows = (await db.sql<{ id: number }>('SELECT id FROM busy')).map((r) => String(r.id));
    const stop = new AbortController();
    const streamedKeys = new Set<string>();
    const missing = () => finalRows.filter((id) => !seen.has(id) && !streamedKeys.has(id));
    for await (const change of capture.changes(stop.signal)) {
      if (change.event.kind !== 'truncate')
        streamedKeys.add(String(valueToText(change.event.key[0] ?? { kind: 'null' })));
      change.ack();
      if (missing().length === 0) break;
    }
    stop.abort();
    await capture.close();
    expect(missing()).toEqual([]);
  }, 60_000);
});
