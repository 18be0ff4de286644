import { parseSchemaName, parseTableName } from '@flusso/core';
import { createTestDatabase, type TestDatabase, testedVersions } from '@flusso/pg-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, keyText, newCapture } from './capture-test-kit.fixture.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

async function slotLsn(db: TestDatabase, slot: string): Promise<string> {
  const [row] = await db.sql<{ lsn: string }>(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return row?.lsn ?? '';
}

async function lsnCompare(db: TestDatabase, a: string, b: string): Promise<number> {
  const [row] = await db.sql<{ d: string }>('SELECT ($1::pg_lsn - $2::pg_lsn)::text AS d', [a, b]);
  return Math.sign(Number(row?.d));
}

describe.each(testedVersions())('PgChangeCapture on Postgres %i', (version) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ version, settings: { wal_sender_timeout: "'2s'" } });
  });
  afterAll(async () => db?.close());

  it('delivers insert, update, delete, key change and truncate as thin events keyed by the primary key', async () => {
    await db.sql(
      `CREATE TABLE ev (a int, b uuid, note text, PRIMARY KEY (a, b)); ALTER TABLE ev REPLICA IDENTITY FULL`,
    );
    const { capture } = newCapture(db.url, 'ev');
    await capture.prepare([table('ev')]);
    const u = '0b5c2a3e-1f00-4d7a-9a39-4f1c2a000001';
    await db.sql(`INSERT INTO ev VALUES (1, '${u}', 'x')`);
    await db.sql(`UPDATE ev SET note = 'y' WHERE a = 1`);
    await db.sql(`UPDATE ev SET a = 2 WHERE a = 1`);
    await db.sql(`DELETE FROM ev WHERE a = 2`);
    await db.sql('TRUNCATE ev');
    const { changes, stop } = await collect(capture, (c) => c.length >= 6);
    expect(changes.map(keyText)).toEqual([
      `upsert:ev:1|${u}`,
      `upsert:ev:1|${u}`,
      `delete:ev:1|${u}`,
      `upsert:ev:2|${u}`,
      `delete:ev:2|${u}`,
      'truncate:ev',
    ]);
    const update = changes[1]?.event;
    expect(update?.kind === 'upsert' && update.oldRow?.note).toEqual({ kind: 'text', value: 'x' });
    expect(update?.kind === 'upsert' && update.keyColumns).toEqual(['a', 'b']);
    stop();
    await capture.close();
  });

  it('confirms nothing before ack, then exactly the acked commit, never past an unacked one', async () => {
    await db.sql('CREATE TABLE ack (id bigint PRIMARY KEY)');
    const { capture, name } = newCapture(db.url, 'ack');
    await capture.prepare([table('ack')]);
    const start = await slotLsn(db, name);
    await db.sql('INSERT INTO ack VALUES (1)');
    await db.sql('INSERT INTO ack VALUES (2)');
    const { changes, stop } = await collect(capture, (c) => c.length >= 2);
    const [first, second] = changes;
    second?.ack();
    await new Promise((r) => setTimeout(r, 600));
    expect(await slotLsn(db, name)).toBe(start);
    first?.ack();
    await expect.poll(async () => lsnCompare(db, await slotLsn(db, name), start), { timeout: 5000 }).toBe(1);
    const confirmed = await slotLsn(db, name);
    expect(
      await lsnCompare(
        db,
        confirmed,
        String(second?.position === undefined ? start : await lsnOf(second.position)),
      ),
    ).toBe(1);
    stop();
    await capture.close();
  });

  it('moves the slot on an idle stream once nothing is pending', async () => {
    await db.sql('CREATE TABLE idle_t (id int PRIMARY KEY); CREATE TABLE other_t (id int)');
    const { capture, name } = newCapture(db.url, 'idle_t');
    await capture.prepare([table('idle_t')]);
    const { stop } = await collect(capture, () => true);
    const before = await slotLsn(db, name);
    await db.sql('INSERT INTO other_t SELECT generate_series(1, 1000)');
    await expect
      .poll(async () => lsnCompare(db, await slotLsn(db, name), before), { timeout: 8000, interval: 250 })
      .toBe(1);
    stop();
    await capture.close();
  });

  it('redelivers every unacked change to a new capture on the same slot', async () => {
    await db.sql('CREATE TABLE redo (id int PRIMARY KEY)');
    const first = newCapture(db.url, 'redo');
    expect((await first.capture.prepare([table('redo')])).resumed).toBe(false);
    await db.sql('INSERT INTO redo VALUES (1), (2), (3)');
    const run1 = await collect(first.capture, (c) => c.length >= 3);
    run1.changes[0]?.ack();
    run1.stop();
    await first.capture.close();
    const { PgChangeCapture } = await import('./pg-change-capture.js');
    const again = new PgChangeCapture({
      url: db.url,
      slot: first.name,
      publication: first.name,
      statusIntervalMs: 200,
    });
    expect((await again.prepare([table('redo')])).resumed).toBe(true);
    const run2 = await collect(again, (c) => c.length >= 3);
    expect(run2.changes.map(keyText)).toEqual(['upsert:redo:1', 'upsert:redo:2', 'upsert:redo:3']);
    run2.stop();
    await again.close();
  });

  it('keeps an idle connection alive past wal_sender_timeout', async () => {
    await db.sql('CREATE TABLE alive (id int PRIMARY KEY)');
    const { capture } = newCapture(db.url, 'alive', { statusIntervalMs: 500 });
    await capture.prepare([table('alive')]);
    const reader = collect(capture, (c) => c.length >= 1, 15_000);
    await new Promise((r) => setTimeout(r, 5000));
    await db.sql('INSERT INTO alive VALUES (1)');
    const { changes, stop } = await reader;
    expect(changes.map(keyText)).toEqual(['upsert:alive:1']);
    stop();
    await capture.close();
  });
});

async function lsnOf(position: bigint): Promise<string> {
  const { formatLsn } = await import('@flusso/core');
  return formatLsn(position as never);
}
