// The capture role's confirm rule with real Postgres and the Kafka broker double:
// while the broker has not acknowledged a batch, the slot's confirmed LSN does not
// move; once it has, the slot confirms past the commit the records carry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLsn, type IndexSchema, type Lsn, parseIndexName, parseLsn, zeroLsn } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import { PgChangeCapture, PgDocumentBuilder } from '@flusso/sources';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDir } from '../e2e/flusso-process.fixture.js';
import { runCaptureRole } from './capture-role.js';
import { decodeRecord, type EncodedRecord } from './pipeline-record.js';
import { KafkaRecordProducer, type RecordSink } from './record-producer.js';

let db: TestDatabase;
let broker: KafkaDouble;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase({ settings: { wal_sender_timeout: "'2s'" } });
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  broker = await startKafkaDouble();
  pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC', max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await broker?.close();
  await db?.close();
});

async function confirmed(slot: string): Promise<Lsn> {
  const [row] = await db.sql<{ lsn: string | null }>(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [slot],
  );
  return row?.lsn ? parseLsn(row.lsn) : zeroLsn;
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('capture role on Postgres', () => {
  it('confirms an LSN only after the broker acknowledged the records of its commit', async () => {
    const topic = 'kmode-confirm';
    const producer = await KafkaRecordProducer.open({ brokers: broker.brokers, topic, partitions: 3 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let sends = 0;
    const gated: RecordSink = {
      send: async (records: readonly EncodedRecord[]) => {
        sends += 1;
        await gate;
        await producer.send(records);
      },
      close: () => producer.close(),
    };
    const schema = loadSchemaFile(join(demoDir, 'users.schema.yml')) as IndexSchema;
    const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: parseIndexName('users'), schema }] });
    const capture = new PgChangeCapture({
      url: db.url,
      slot: 'kmode',
      publication: 'kmode',
      statusIntervalMs: 200,
    });
    const stop = new AbortController();
    const running = runCaptureRole(
      {
        capture,
        builder,
        records: gated,
        sinks: [],
        log: { info: () => undefined, warn: () => undefined },
        skipBackfill: true,
      },
      stop.signal,
    );
    await until(async () => (await confirmed('kmode')) > zeroLsn);
    const start = await confirmed('kmode');
    await db.sql("UPDATE users SET full_name = 'confirm me' WHERE id = 3");
    await until(async () => sends > 0);
    // Held at the broker: several status intervals pass, the slot stays put.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(formatLsn(await confirmed('kmode'))).toBe(formatLsn(start));
    expect(broker.records(topic)).toEqual([]);

    release();
    await until(async () => broker.records(topic).length > 0);
    const [record] = broker.records(topic);
    const decoded = decodeRecord(record?.value ?? null);
    expect(decoded).toMatchObject({ kind: 'change', index: 'users', id: '3' });
    const commit = decoded.kind === 'change' ? decoded.lsn : zeroLsn;
    await until(async () => (await confirmed('kmode')) >= commit);
    stop.abort();
    await running;
    await capture.close();
    await producer.close();
  });
});
