// Late builds, deterministic, with real Postgres and the OpenSearch emulator (its
// `index.gc_deletes` is the index setting, here 300ms through an index template, so a
// tombstone is collected within the test). Worker A builds a document while its row is present, then stalls;
// worker B deletes the document (a versioned tombstone); the tombstone is collected;
// A's stale build goes out last. Without a bound on a build's age, OpenSearch accepts
// it as a create: the deleted document is back for good. And a worker still holding a
// generation a reindex dropped must not re-create it as an orphan index.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentId, type IndexName, type IndexSchema, parseIndexName, parseLsn } from '@flusso/core';
import { loadSchemaFile } from '@flusso/daemon';
import { type Emulator, startEmulator } from '@flusso/opensearch-emulator';
import { createTestDatabase, type TestDatabase } from '@flusso/pg-harness';
import type { ConsumedBatch } from '@flusso/sinks/kafka';
import { OpenSearchSink, type OpenSearchSinkOptions } from '@flusso/sinks/opensearch';
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
/** The emulator's tombstone window for these indexes, and the age bound kept below half of it. */
const GC_MS = 300;
let n = 0;

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

function batchOf(id: number): ConsumedBatch {
  const record = encodeRecord({
    kind: 'change',
    index: users,
    id: String(id) as DocumentId,
    lsn: parseLsn('0/1'),
  });
  return {
    topic: 'changes',
    partition: 0,
    records: [{ offset: '0', key: Buffer.from(record.key), value: Buffer.from(record.value), headers: {} }],
    lag: 0,
    heartbeat: async () => undefined,
  };
}

function sinkOf(prefix: string, extra: Partial<OpenSearchSinkOptions> = {}): OpenSearchSink {
  return new OpenSearchSink({
    name: 'primary',
    url: emu.url,
    prefix,
    numberOfReplicas: 0,
    tlsVerify: false,
    writeAliases: true,
    ...extra,
  });
}

/** A fresh prefix whose indexes forget tombstones after GC_MS (an index template: every generation). */
async function freshPrefix(): Promise<string> {
  n += 1;
  const prefix = `late${n}_`;
  const res = await fetch(`${emu.url}/_index_template/${prefix}gc`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      index_patterns: [`${prefix}users_*`],
      template: { settings: { index: { gc_deletes: `${GC_MS}ms` } } },
    }),
  });
  expect(res.status).toBe(200);
  return prefix;
}

async function worker(sink: OpenSearchSink, extra: Partial<WorkerParts> = {}): Promise<WorkerParts> {
  const schema = loadSchemaFile(join(demoDir, 'users.schema.yml')) as IndexSchema;
  const builder = new PgDocumentBuilder({ db: pool, indexes: [{ name: users, schema }] });
  for (const spec of builder.indexes()) await sink.ensureIndex(spec);
  return {
    builder,
    sinks: [sink],
    readVersion: () => readBuildVersion(pool),
    onRejection: () => 'stop',
    log: { warn: () => undefined },
    maxBuildAgeMs: GC_MS / 2,
    ...extra,
  };
}

/** A gate: `reached` resolves when a step arrives at it, `release` lets it go on. */
function gate() {
  let arrived: () => void = () => undefined;
  let release: () => void = () => undefined;
  const reached = new Promise<void>((r) => {
    arrived = r;
  });
  const open = new Promise<void>((r) => {
    release = r;
  });
  const hold = async () => {
    arrived();
    await open;
  };
  /** A worker's `exclusive` that stalls its first sink step at the gate. */
  const exclusive = async <T>(step: () => Promise<T>): Promise<T> => {
    await hold();
    return step();
  };
  return { reached, release, hold, exclusive };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The document as a client reads it through the convenience alias; null when absent. */
async function stored(prefix: string, id: number): Promise<unknown> {
  await fetch(`${emu.url}/${prefix}users/_refresh`, { method: 'POST' });
  const res = await fetch(`${emu.url}/${prefix}users/_doc/${id}`);
  return res.status === 404 ? null : ((await res.json()) as { _source?: unknown })._source;
}

async function indexNames(prefix: string): Promise<string[]> {
  const res = await fetch(`${emu.url}/_cat/indices/${prefix}*?format=json&h=index`);
  return ((await res.json()) as { index: string }[]).map((r) => r.index).sort();
}

describe('a late build never resurrects a deleted document', () => {
  async function race(id: number, stall: 'before the write' | 'in the flush') {
    const prefix = await freshPrefix();
    await db.sql(`UPDATE users SET deleted = false WHERE id = ${id}`);
    await applyBatch(await worker(sinkOf(prefix)), batchOf(id));
    expect(await stored(prefix, id)).toMatchObject({ id });
    const settings = await (await fetch(`${emu.url}/${prefix}users/_settings`)).json();
    expect(Object.values(settings as Record<string, unknown>)).toMatchObject([
      { settings: { index: { gc_deletes: `${GC_MS}ms` } } },
    ]);
    const held = gate();
    const rebuilt: [IndexName, number][] = [];
    const slowSink = sinkOf(prefix);
    if (stall === 'in the flush') {
      // A slow sink: the flush is sent only after the tombstone was collected.
      const flush = slowSink.flush.bind(slowSink);
      let first = true;
      slowSink.flush = async (caughtUp: boolean) => {
        if (first) await held.hold();
        first = false;
        return flush(caughtUp);
      };
    }
    const a = applyBatch(
      await worker(slowSink, {
        onRebuilt: (index, documents) => rebuilt.push([index, documents]),
        // A stall before the write: another partition's flush, a rebalance, a GC pause.
        ...(stall === 'before the write' ? { exclusive: held.exclusive } : {}),
      }),
      batchOf(id),
    );
    await held.reached;

    // Worker B: the row is deleted (soft delete), its build is a versioned delete.
    await db.sql(`UPDATE users SET deleted = true WHERE id = ${id}`);
    await applyBatch(await worker(sinkOf(prefix)), batchOf(id));
    expect(await stored(prefix, id)).toBeNull();
    // The tombstone is forgotten once it is older than index.gc_deletes.
    await sleep(GC_MS * 2);

    held.release();
    await expect(a).resolves.toEqual([]);
    expect(await stored(prefix, id)).toBeNull();
    expect(rebuilt).toEqual([[users, 1]]);
    // A later change to another document changes nothing for this one.
    await applyBatch(await worker(sinkOf(prefix)), batchOf(id + 1));
    expect(await stored(prefix, id)).toBeNull();
  }

  it('stalled before its write: rebuilt from current rows (a delete)', async () => {
    await race(11, 'before the write');
  });

  it('stalled in its flush: rebuilt after the flush, deleting what the stale write brought back', async () => {
    await race(21, 'in the flush');
  });

  it('a build within the window is written as built (no rebuild)', async () => {
    const prefix = await freshPrefix();
    const rebuilt: unknown[] = [];
    await applyBatch(await worker(sinkOf(prefix), { onRebuilt: () => rebuilt.push(1) }), batchOf(31));
    expect(await stored(prefix, 31)).toMatchObject({ id: 31 });
    expect(rebuilt).toEqual([]);
  });
});

describe('a late write to a dropped generation', () => {
  it('is dropped as superseded: no orphan index, the live generation has the current documents', async () => {
    const prefix = await freshPrefix();
    await db.sql("UPDATE users SET full_name = 'before reindex', deleted = false WHERE id IN (41, 42)");
    const held = gate();
    const gone: [IndexName, number][] = [];
    // Worker A holds generation 1's layout; its batch (ids 41, 42) stalls before the write.
    const workerSink = sinkOf(prefix, { onGenerationGone: (index, writes) => gone.push([index, writes]) });
    const a = applyBatch(await worker(workerSink, { exclusive: held.exclusive }), {
      ...batchOf(41),
      records: [...batchOf(41).records, ...batchOf(42).records],
    });
    await held.reached;
    // Row 42 is deleted while A stalls, after A built it.
    await db.sql("UPDATE users SET full_name = 'after reindex' WHERE id = 41");
    await db.sql('UPDATE users SET deleted = true WHERE id = 42');

    // The capture reindexes: generation 2 built from current rows, swapped in, generation 1 dropped.
    const capture = sinkOf(prefix);
    const parts = await worker(capture);
    await capture.reindex(users);
    await applyBatch(parts, { ...batchOf(41), records: [...batchOf(41).records, ...batchOf(42).records] });
    await capture.markSeeded(users);
    const live = await indexNames(prefix);

    held.release();
    await expect(a).resolves.toEqual([]);
    expect(await indexNames(prefix)).toEqual(live);
    expect(live.filter((name) => name.startsWith(`${prefix}users_`))).toHaveLength(1);
    expect(await stored(prefix, 41)).toMatchObject({ fullName: 'after reindex' });
    expect(await stored(prefix, 42)).toBeNull();
    expect(gone).toEqual([[users, 2]]);
  });
});
