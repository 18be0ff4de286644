// The worker role over the Kafka wire protocol (the in-repo broker double): a
// batch's offsets are committed only after every sink flushed it; a member that
// dies before its flush committed nothing, so the next member rebuilds it all.
import { randomUUID } from 'node:crypto';
import { type DocumentId, parseLsn } from '@flusso/core';
import { MapDocumentBuilder, MemorySink, usersIndex } from '@flusso/core/testing';
import type { DeadLetter } from '@flusso/engine';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { KafkaWriteConsumer } from '@flusso/sinks/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBatch, type WorkerParts } from './kafka-worker.js';
import { encodeRecord } from './pipeline-record.js';
import { KafkaRecordProducer } from './record-producer.js';

let double: KafkaDouble;
beforeAll(async () => {
  double = await startKafkaDouble();
});
afterAll(async () => {
  await double?.close();
});

const id = (s: string) => s as DocumentId;

async function seedTopic(topic: string, ids: readonly string[]): Promise<void> {
  const producer = await KafkaRecordProducer.open({ brokers: double.brokers, topic, partitions: 1 });
  await producer.send(
    ids.map((i) => encodeRecord({ kind: 'change', index: usersIndex, id: id(i), lsn: parseLsn('0/5') })),
  );
  await producer.close();
}

function parts(builder: MapDocumentBuilder, sink: MemorySink, versions: { next: bigint }): WorkerParts {
  return {
    builder,
    sinks: [sink],
    readVersion: async () => {
      versions.next += 1n;
      return versions.next;
    },
    onRejection: () => 'stop',
    log: { warn: () => undefined },
  };
}

function member(topic: string, group: string): KafkaWriteConsumer {
  return new KafkaWriteConsumer({ brokers: double.brokers, topic, groupId: group, sessionTimeoutMs: 6_000 });
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kafka worker', () => {
  it('dedupes a batch by (index, id), builds once, writes versioned documents, commits after the flush', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const group = `workers-${randomUUID().slice(0, 8)}`;
    await seedTopic(topic, ['1', '2', '1', '1']);
    const builder = new MapDocumentBuilder();
    builder.rows.set('1', { name: 'Ada' });
    const sink = new MemorySink();
    const writes: unknown[] = [];
    const spy = sink.write.bind(sink);
    sink.write = (w) => {
      writes.push(w);
      spy(w);
    };
    const worker = member(topic, group);
    await worker.run((batch) => applyBatch(parts(builder, sink, { next: 100n }), batch));
    await until(() => sink.log.includes('flush'));
    await worker.stop(1_000);
    expect(builder.builds.get('1')).toBe(1);
    expect(writes).toEqual([
      { op: 'upsert', index: usersIndex, id: '1', document: { name: 'Ada' }, version: 101n },
      { op: 'delete', index: usersIndex, id: '2', version: 101n },
    ]);
    // Committed: a new member of the group finds nothing left.
    const next = new MemorySink();
    const again = member(topic, group);
    await again.run((batch) => applyBatch(parts(builder, next, { next: 200n }), batch));
    await new Promise((r) => setTimeout(r, 1_000));
    await again.stop(1_000);
    expect(next.log).toEqual([]);
  });

  it('a member stopped before its flush lands commits nothing: the next member rebuilds the batch', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const group = `workers-${randomUUID().slice(0, 8)}`;
    await seedTopic(topic, ['1', '2', '3']);
    const builder = new MapDocumentBuilder();
    for (const i of ['1', '2', '3']) builder.rows.set(i, { name: `n${i}` });
    const stuck = new MemorySink({ failNext: { count: 1_000, code: 'sink_failed' } });
    const first = member(topic, group);
    await first.run((batch) => applyBatch(parts(builder, stuck, { next: 0n }), batch));
    await until(() => stuck.flushAttempts > 0);
    await first.stop(500);
    const healthy = new MemorySink();
    const second = member(topic, group);
    await second.run((batch) => applyBatch(parts(builder, healthy, { next: 10n }), batch));
    await until(() => healthy.store.size === 3);
    await second.stop(1_000);
    expect([...healthy.store.keys()].sort()).toEqual(['users/1', 'users/2', 'users/3']);
  });

  it('a document its data cannot build is split out: under skip a dead letter (codes only), the rest lands and commits', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const group = `workers-${randomUUID().slice(0, 8)}`;
    const ids = Array.from({ length: 12 }, (_, i) => String(i + 1));
    await seedTopic(topic, ids);
    const builder = new MapDocumentBuilder();
    builder.badRows.set('7', '22012');
    for (const i of ids) builder.rows.set(i, { name: `secret ${i}` });
    const sink = new MemorySink({ name: 'primary' });
    const letters: DeadLetter[] = [];
    const worker = member(topic, group);
    await worker.run((batch) =>
      applyBatch(
        {
          ...parts(builder, sink, { next: 0n }),
          onRejection: () => 'skip',
          deadLetters: { record: async (l) => void letters.push(...l) },
        },
        batch,
      ),
    );
    await until(() => sink.store.size === 11);
    await worker.stop(1_000);
    expect([...sink.store.keys()].sort()).toEqual(
      ids
        .filter((i) => i !== '7')
        .map((i) => `users/${i}`)
        .sort(),
    );
    expect(
      letters.map((l) => [l.sink, l.index, l.id, l.rejection.type, l.rejection.reason, l.document]),
    ).toEqual([['primary', 'users', '7', 'build_failed', 'document query failed: SQLSTATE 22012', null]]);
    expect(JSON.stringify(letters, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
      'secret',
    );
    // Committed: the group has nothing left to redeliver.
    const next = new MemorySink();
    const again = member(topic, group);
    await again.run((batch) => applyBatch(parts(builder, next, { next: 50n }), batch));
    await new Promise((r) => setTimeout(r, 1_000));
    await again.stop(1_000);
    expect(next.log).toEqual([]);
  });

  it('under stop the batch fails before anything is written and is not committed: it waits for the row', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const group = `workers-${randomUUID().slice(0, 8)}`;
    await seedTopic(topic, ['1', '2', '3']);
    const builder = new MapDocumentBuilder();
    builder.badRows.set('2', '22012');
    for (const i of ['1', '2', '3']) builder.rows.set(i, { name: `n${i}` });
    const sink = new MemorySink();
    const errors: unknown[] = [];
    const worker = member(topic, group);
    await worker.run((batch) =>
      applyBatch(parts(builder, sink, { next: 0n }), batch).catch((e: unknown) => {
        errors.push(e);
        throw e;
      }),
    );
    await until(() => errors.length > 0);
    await worker.stop(1_000);
    expect(errors[0]).toMatchObject({ code: 'invalid_value', index: 'users', id: '2', sqlstate: '22012' });
    expect(sink.store.size).toBe(0);
    // The row is fixed: the redelivered batch lands whole.
    builder.badRows.clear();
    const healthy = new MemorySink();
    const again = member(topic, group);
    await again.run((batch) => applyBatch(parts(builder, healthy, { next: 10n }), batch));
    await until(() => healthy.store.size === 3);
    await again.stop(1_000);
  });
});
