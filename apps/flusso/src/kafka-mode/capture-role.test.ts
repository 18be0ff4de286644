// The capture role's confirm rule over the Kafka wire protocol (the in-repo broker
// double): a change is acked to the source (which lets Postgres confirm its LSN)
// only after the broker acknowledged every record of its batch; a batch the broker
// never acknowledges is never acked.
import { randomUUID } from 'node:crypto';
import { FlussoError } from '@flusso/core';
import {
  type AckLog,
  MapDocumentBuilder,
  MemorySink,
  ScriptedCapture,
  userChange,
} from '@flusso/core/testing';
import { type KafkaDouble, startKafkaDouble } from '@flusso/kafka-double';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptureRole } from './capture-role.js';
import { decodeRecord, type EncodedRecord } from './pipeline-record.js';
import { KafkaRecordProducer, type RecordSink } from './record-producer.js';

let double: KafkaDouble;
beforeAll(async () => {
  double = await startKafkaDouble();
});
afterAll(async () => {
  await double?.close();
});

const silent = { info: () => undefined, warn: () => undefined };

async function readTopic(topic: string, count: number): Promise<{ key: string; value: Buffer | null }[]> {
  const kafka = new Kafka({ clientId: 'reader', brokers: double.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  const seen: { key: string; value: Buffer | null }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key?.toString() ?? '', value: message.value });
        if (seen.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('capture role', () => {
  it('acks a batch only after the broker acknowledged its records, one record per (index, id)', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const producer = await KafkaRecordProducer.open({ brokers: double.brokers, topic, partitions: 3 });
    const log: AckLog = { acked: [] };
    const ackedBeforeSend: number[] = [];
    const ackedAfterSend: number[] = [];
    const watched: RecordSink = {
      send: async (records: readonly EncodedRecord[]) => {
        ackedBeforeSend.push(log.acked.length);
        await producer.send(records);
        ackedAfterSend.push(log.acked.length);
      },
      close: () => producer.close(),
    };
    // Rows 1 and 2, then row 1 again: one batch, two documents.
    const capture = new ScriptedCapture({
      changes: [userChange(1, 0, log), userChange(2, 1, log), userChange(1, 2, log)],
    });
    await runCaptureRole(
      {
        capture,
        builder: new MapDocumentBuilder(),
        records: watched,
        sinks: [],
        log: silent,
        skipBackfill: true,
      },
      new AbortController().signal,
    );
    expect(ackedBeforeSend).toEqual([0]);
    expect(ackedAfterSend).toEqual([0]);
    expect(log.acked).toEqual([0, 1, 2]);
    const records = await readTopic(topic, 2);
    const decoded = records.map((r) => decodeRecord(r.value));
    expect(decoded.map((d) => (d.kind === 'change' ? d.id : '')).sort()).toEqual(['1', '2']);
    for (const d of decoded) if (d.kind === 'change') expect(d.lsn).toBe(3n);
    expect(records.map((r) => r.key).sort()).toEqual(['["users","1"]', '["users","2"]']);
    await producer.close();
  });

  it('never acks a batch the broker did not acknowledge', async () => {
    const log: AckLog = { acked: [] };
    const failing: RecordSink = {
      send: async () => {
        throw new FlussoError('sink_transient', 'the change topic did not acknowledge a batch');
      },
      close: async () => undefined,
    };
    const capture = new ScriptedCapture({ changes: [userChange(1, 0, log), userChange(2, 1, log)] });
    await expect(
      runCaptureRole(
        {
          capture,
          builder: new MapDocumentBuilder(),
          records: failing,
          sinks: [],
          log: silent,
          skipBackfill: true,
        },
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ code: 'sink_transient' });
    expect(log.acked).toEqual([]);
  });

  it('backfills a fresh slot as id chunks and marks the sink seeded once they are in the topic', async () => {
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    const producer = await KafkaRecordProducer.open({ brokers: double.brokers, topic, partitions: 2 });
    const rows = [1, 2, 3, 4, 5].map((i) => [{ kind: 'int8' as const, value: BigInt(i) }]);
    const capture = new ScriptedCapture({ resumed: false, rows });
    const sink = new MemorySink();
    await runCaptureRole(
      {
        capture,
        builder: new MapDocumentBuilder(),
        records: producer,
        sinks: [sink],
        log: silent,
        pageSize: 2,
      },
      new AbortController().signal,
    );
    const chunks = (await readTopic(topic, 3)).map((r) => decodeRecord(r.value));
    const ids = chunks.flatMap((c) => (c.kind === 'backfill' ? c.ids : []));
    expect([...ids].sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(sink.seededMarks).toEqual(['users']);
    await producer.close();
  });
});
