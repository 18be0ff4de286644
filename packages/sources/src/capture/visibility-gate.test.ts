// The commit race: Postgres sends a decoded commit before the committing backend
// leaves the proc array, so a snapshot taken at once may still see it running.
// The gate is checked against a real running transaction (its xid really is in
// the snapshot's running list), and the capture with the race staged: a
// transaction's changes are withheld until a snapshot sees it committed.
import { parseSchemaName, parseTableName, systemClock } from '@flusso/core';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, keyText, newCapture } from './capture-test-kit.fixture.js';
import {
  SNAPSHOT_SQL,
  seesCommitted,
  snapshotOfRow,
  type TakeSnapshot,
  VisibilityGate,
  type XidSnapshot,
} from './visibility-gate.js';

const table = (name: string) => ({ schema: parseSchemaName('public'), table: parseTableName(name) });

describe('seesCommitted', () => {
  const snap = (xmin: number, xmax: number, running: number[] = []): XidSnapshot => ({
    xmin,
    xmax,
    running: new Set(running),
  });

  it('sees what ended before the snapshot and nothing it lists as running or that began after', () => {
    expect(seesCommitted(snap(100, 110, [100, 104]), 99)).toBe(true);
    expect(seesCommitted(snap(100, 110, [100, 104]), 103)).toBe(true);
    expect(seesCommitted(snap(100, 110, [100, 104]), 104)).toBe(false);
    expect(seesCommitted(snap(100, 110, [100, 104]), 110)).toBe(false);
    expect(seesCommitted(snap(100, 110, [100, 104]), 111)).toBe(false);
  });

  it('compares xids across the 32-bit wrap as Postgres does', () => {
    const wrapped = snap(0xffff_fff0, 5, [0xffff_fff0, 2]);
    expect(seesCommitted(wrapped, 0xffff_ffef)).toBe(true);
    expect(seesCommitted(wrapped, 0xffff_fffe)).toBe(true);
    expect(seesCommitted(wrapped, 1)).toBe(true);
    expect(seesCommitted(wrapped, 2)).toBe(false);
    expect(seesCommitted(wrapped, 5)).toBe(false);
    // An xid newer than a cached snapshot is never taken for an old one.
    expect(seesCommitted(snap(10, 20), 20 + 2 ** 30)).toBe(false);
  });
});

describe('VisibilityGate on Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    return c;
  }

  it('holds a transaction that is still running and lets it through once committed', async () => {
    const observer = await client();
    const writer = await client();
    try {
      let takes = 0;
      const take: TakeSnapshot = async () => {
        takes += 1;
        return snapshotOfRow((await observer.query(SNAPSHOT_SQL)).rows[0]);
      };
      const gate = new VisibilityGate(take, systemClock);
      await writer.query('BEGIN');
      const xid8 = (await writer.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0]?.x;
      const xid = Number(BigInt(xid8 ?? '0') & 0xffff_ffffn);
      let passed = false;
      const waiting = gate.visible(xid).then(() => {
        passed = true;
      });
      await expect.poll(() => takes, { timeout: 5_000 }).toBeGreaterThan(3);
      expect(passed).toBe(false);
      await writer.query('COMMIT');
      await waiting;
      expect(passed).toBe(true);
      // A transaction the last snapshot saw committed needs no new one.
      const before = takes;
      await gate.visible(xid);
      await gate.visible(xid - 1);
      expect(takes).toBe(before);
    } finally {
      await writer.end();
      await observer.end();
    }
  });
});

describe('VisibilityGate beside a transaction held open', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it('lets a later committed transaction through while an older one stays open', async () => {
    const connect = async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    };
    const observer = await connect();
    const holder = await connect();
    const writer = await connect();
    const xidOf = async (c: pg.Client) =>
      Number(
        BigInt((await c.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0]?.x ?? '0') &
          0xffff_ffffn,
      );
    try {
      // An idle-in-transaction session (a forgotten BEGIN) holds the snapshot's xmin back.
      await holder.query('BEGIN');
      const held = await xidOf(holder);
      await writer.query('BEGIN');
      const later = await xidOf(writer);
      await writer.query('COMMIT');
      const gate = new VisibilityGate(
        async () => snapshotOfRow((await observer.query(SNAPSHOT_SQL)).rows[0]),
        systemClock,
      );
      await gate.visible(later);
      const snapshot = snapshotOfRow((await observer.query(SNAPSHOT_SQL)).rows[0]);
      expect(snapshot.running.has(held)).toBe(true);
      expect(seesCommitted(snapshot, later)).toBe(true);
    } finally {
      await holder.query('ROLLBACK');
      await Promise.all([observer.end(), holder.end(), writer.end()]);
    }
  });
});

describe('PgChangeCapture with the commit race staged', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it("withholds a transaction's changes until a snapshot sees it committed", async () => {
    await db.sql('CREATE TABLE raced (id int PRIMARY KEY, v text)');
    const observer = new pg.Client({ connectionString: db.url });
    await observer.connect();
    // Every snapshot lists the newest transactions as still running until released:
    // what a snapshot taken between the flushed commit and the proc array sees.
    let released = false;
    let staged = 0;
    const takeSnapshot: TakeSnapshot = async () => {
      const real = snapshotOfRow((await observer.query(SNAPSHOT_SQL)).rows[0]);
      if (released) return real;
      staged += 1;
      const running = new Set(real.running);
      for (let back = 1; back <= 4; back += 1) running.add((real.xmax - back) >>> 0);
      // A running xid is never below the snapshot's xmin.
      return { xmin: (real.xmax - 4) >>> 0, xmax: real.xmax, running };
    };
    const { capture } = newCapture(db.url, 'raced', { takeSnapshot });
    try {
      await capture.prepare([table('raced')]);
      await db.sql("INSERT INTO raced VALUES (1, 'a')");
      let delivered = false;
      const reading = collect(capture, (c) => c.length >= 1, 30_000).then((r) => {
        delivered = true;
        return r;
      });
      // Several snapshots in, the change is still held (without the gate it arrives at once).
      await expect.poll(() => delivered || staged > 3, { timeout: 10_000 }).toBe(true);
      expect(delivered).toBe(false);
      released = true;
      const { changes, stop } = await reading;
      expect(changes.map(keyText)).toEqual(['upsert:raced:1']);
      stop();
    } finally {
      await capture.close();
      await observer.end();
    }
  });
});
