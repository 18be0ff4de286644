// The stale-overwrite race, deterministic, with real Postgres and the OpenSearch
// emulator: two workers build the same document; worker A reads its version and
// builds from the old row, the row changes, worker B builds from the new row and
// flushes; A's older build is flushed last. The index keeps B's newer document, and
// A's batch still completes (superseded counts as written), so its offsets commit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlushReport } from '@flusso/core';
import { type DocumentId, type IndexSchema, parseIndexName, parseLsn } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import type { ConsumedBatch } from '@flusso/sinks/kafka';
import { OpenSearchSink } from '@flusso/sinks/opensearch';
import { PgDocumentBuilder } from '@flusso/sources';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDir } from '../e2e/flusso-process.fixture.js';
import { readBuildVersion } from './build-version.js';
import { applyBatch, type WorkerParts } from './kafka-worker.js';
import { encodeRecord } from './pipeline-record.js';

let db: TestDatabase;
let emu: Emulator;
let pool: pg.Pool;
const users = parseIndexName('users');

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(readFileSync(join(demoDir, 'seed.sql'), 'utf8'));
  emu = await startEmulator();
  pool = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=UTC', max: 4 });
});
afterAll(async () => {
  await pool?.end();
  await emu?.close();
  await db?.close();
});

function batchOf(id: string): ConsumedBatch {
  const record = encodeRecord({ kind: 'change', index: users, id: id as DocumentId, lsn: parseLsn('0/1') });
  return {
    topic: 'changes',
    partition: 0,
    records: [{ offset: '0', key: Buffer.from(record.key), value: Buffer.from(record.value), headers: {} }],
    lag: 0,
    heartbeat: async () => undefined,
  };
}

async function worker(sink: OpenSearchSink): Promise<WorkerParts> {
  const schema = loadSchemaFile(join(demoDir, 'users.schema.yml')) as IndexSchema;
  const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: users, schema }] });
  for (const spec of builder.indexes()) await sink.ensureIndex(spec);
  return {
    builder,
    sinks: [sink],
    readVersion: () => readBuildVersion(pool),
    onRejection: () => 'stop',
    log: { warn: () => undefined },
  };
}

const sinkOf = () =>
  new OpenSearchSink({
    name: 'primary',
    url: emu.url,
    prefix: 'race_',
    numberOfReplicas: 0,
    tlsVerify: false,
  });

async function storedName(): Promise<unknown> {
  await fetch(`${emu.url}/race_users/_refresh`, { method: 'POST' });
  const res = await fetch(`${emu.url}/race_users/_doc/1`);
  return ((await res.json()) as { _source?: { fullName?: unknown } })._source?.fullName;
}

describe('no stale overwrite across workers', () => {
  it('keeps the newer build when the older build is flushed last', async () => {
    await db.sql("UPDATE users SET full_name = 'old name' WHERE id = 1");
    // Worker A: its flush is held until released, after it built from the old row.
    const slowSink = sinkOf();
    let reached: () => void = () => undefined;
    const atFlush = new Promise<void>((r) => {
      reached = r;
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const flush = slowSink.flush.bind(slowSink);
    const reports: FlushReport[] = [];
    slowSink.flush = async (caughtUp: boolean) => {
      reached();
      await gate;
      const report = await flush(caughtUp);
      reports.push(report);
      return report;
    };
    const a = applyBatch(await worker(slowSink), batchOf('1'));
    await atFlush;

    // The row changes; worker B builds from the new row and flushes first.
    await db.sql("UPDATE users SET full_name = 'new name' WHERE id = 1");
    await applyBatch(await worker(sinkOf()), batchOf('1'));
    expect(await storedName()).toBe('new name');

    // A's older build lands last: superseded, the batch completes, the index keeps B's.
    release();
    await expect(a).resolves.toEqual([]);
    expect(reports).toEqual([{ written: 1, rejections: [] }]);
    expect(await storedName()).toBe('new name');
  });
});
