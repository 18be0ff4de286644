// Contract test of a member killed without leaving its group (its sockets
// destroyed, no LeaveGroup, no commit), with the real kafkajs client. It runs
// against the double, and unchanged against a real broker when KAFKA_BROKERS is set.
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type Delivery,
  GroupMember,
  kafkaClient,
  killableSockets,
  unique,
  waitForSplit,
  waitUntil,
} from './consumer-group.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let brokers: string[];
let admin: Admin;

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  brokers = external ?? double!.brokers;
  admin = kafkaClient(brokers, 'session-admin').admin();
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await admin?.disconnect();
  await double?.close();
}, 60_000);

it('a killed member loses its partitions after the session timeout and its uncommitted records go to the others', async () => {
  const kafka: Kafka = kafkaClient(brokers, 'session-test');
  const topic = unique('killed');
  const groupId = unique('group');
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });

  const survivor = await GroupMember.start({ kafka, groupId, topic, name: 'survivor' });
  const sockets = killableSockets();
  // The victim takes its first record and never finishes it: nothing of its partitions is committed.
  let stuck: Delivery | undefined;
  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const victim = await GroupMember.start({
    kafka: kafkaClient(brokers, 'victim', sockets.socketFactory),
    groupId,
    topic,
    name: 'victim',
    noRestart: true,
    onMessage: async (d) => {
      stuck ??= d;
      await held;
    },
  });
  try {
    await waitForSplit(admin, groupId, [survivor, victim], 3);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 36 }, (_, i) => ({ key: `key-${i % 12}`, value: `v-${i}` }));
    await producer.send({ topic, acks: -1, messages });
    await producer.disconnect();

    await waitUntil(() => stuck !== undefined, 'the victim to take a record');
    sockets.kill();
    await waitUntil(
      () => new Set(survivor.seen.map((d) => d.value)).size === messages.length,
      'the survivor to read every record',
    );
    const read = new Set(survivor.seen.map((d) => d.value));
    expect([...read].sort()).toEqual(messages.map((m) => m.value).sort());
    expect(survivor.seen.map((d) => d.value)).toContain(stuck?.value);
    expect([...survivor.assignment].sort()).toEqual([0, 1, 2]);
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]?.members).toHaveLength(1);
  } finally {
    release();
    await victim.stop().catch(() => {});
    await survivor.stop();
  }
}, 60_000);
