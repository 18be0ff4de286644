// Contract tests of topics with several partitions, with the real kafkajs client.
// They run against the double, and unchanged against a real broker when
// KAFKA_BROKERS is set.
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupMember, kafkaClient, unique, waitUntil } from './consumer-group.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  kafka = kafkaClient(external ?? double!.brokers, 'partitions-test');
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin?.disconnect();
  await double?.close();
});

describe('a topic with three partitions', () => {
  it('is created with three partitions, each led by a broker the cluster lists', async () => {
    const topic = unique('created');
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).toBe(false);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const nodes = (await admin.describeCluster()).brokers.map((b) => b.nodeId);
    expect(topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    for (const p of topics[0]?.partitions ?? []) expect(nodes).toContain(p.leader);
  });

  it('keeps every key in one partition, in the order it was sent', async () => {
    const topic = unique('keyed');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = Array.from({ length: 12 }, (_, i) => `tenant-${i}`);
    const sent: string[] = [];
    for (let round = 0; round < 5; round++) {
      const messages = keys.map((key) => ({ key, value: `${key}#${round}` }));
      sent.push(...messages.map((m) => m.value));
      await producer.send({ topic, acks: -1, messages });
    }
    await producer.disconnect();

    const reader = await GroupMember.start({ kafka, groupId: unique('reader'), topic, name: 'reader' });
    await waitUntil(() => reader.seen.length >= sent.length, 'every record read');
    await reader.stop();

    expect(reader.seen.map((d) => d.value).sort()).toEqual([...sent].sort());
    const partitionsOf = new Map<string, Set<number>>();
    for (const d of reader.seen)
      partitionsOf.set(d.key, (partitionsOf.get(d.key) ?? new Set()).add(d.partition));
    for (const key of keys) expect(partitionsOf.get(key)?.size).toBe(1);
    expect(new Set(reader.seen.map((d) => d.partition)).size).toBe(3);
    for (const key of keys) {
      const ofKey = reader.seen.filter((d) => d.key === key);
      expect(ofKey.map((d) => d.value)).toEqual([0, 1, 2, 3, 4].map((round) => `${key}#${round}`));
      const offsets = ofKey.map((d) => Number(d.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    const ends = await admin.fetchTopicOffsets(topic);
    expect(ends.reduce((n, e) => n + Number(e.high), 0)).toBe(sent.length);
  });

  it('is gone once deleted', async () => {
    const topic = unique('deleted');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.deleteTopics({ topics: [topic] });
    await waitUntil(async () => !(await admin.listTopics()).includes(topic), 'the topic to be gone');
  });
});
