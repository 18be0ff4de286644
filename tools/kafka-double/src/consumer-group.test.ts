// Contract tests of a consumer group with several members over a topic with
// three partitions, with the real kafkajs client. They run against the double,
// and unchanged against a real broker when KAFKA_BROKERS is set.
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  GroupMember,
  kafkaClient,
  unique,
  values,
  waitForCommits,
  waitForSplit,
  waitUntil,
} from './consumer-group.fixture.js';
import { type KafkaDouble, startKafkaDouble } from './server.js';

const external = process.env.KAFKA_BROKERS?.split(',');
let double: KafkaDouble | undefined;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const running: GroupMember[] = [];

beforeAll(async () => {
  if (external === undefined) double = await startKafkaDouble();
  kafka = kafkaClient(external ?? double!.brokers, 'group-test');
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await double?.close();
});

async function topicOfThree(): Promise<string> {
  const topic = unique('work');
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  return topic;
}

async function member(groupId: string, topic: string, name: string): Promise<GroupMember> {
  const m = await GroupMember.start({ kafka, groupId, topic, name });
  running.push(m);
  return m;
}

/** Sends `count` records over 12 keys (so every partition gets some); returns their values. */
async function produce(topic: string, tag: string, count: number): Promise<string[]> {
  const messages = Array.from({ length: count }, (_, i) => ({ key: `key-${i % 12}`, value: `${tag}-${i}` }));
  await producer.send({ topic, acks: -1, messages });
  return messages.map((m) => m.value);
}

describe('a consumer group over three partitions', () => {
  it('two, then three members split the partitions and read every record exactly once', async () => {
    const topic = await topicOfThree();
    const groupId = unique('split');
    const a = await member(groupId, topic, 'a');
    const b = await member(groupId, topic, 'b');
    await waitForSplit(admin, groupId, [a, b], 3);
    const first = await produce(topic, 'first', 60);
    let c: GroupMember | undefined;
    const all = () => [...a.seen, ...b.seen, ...(c?.seen ?? [])];
    await waitUntil(() => all().length >= first.length, 'the first records read');
    await waitForCommits(admin, groupId, topic);
    expect(values(all())).toEqual([...first].sort());
    expect(a.seen.length).toBeGreaterThan(0);
    expect(b.seen.length).toBeGreaterThan(0);

    c = await member(groupId, topic, 'c');
    await waitForSplit(admin, groupId, [a, b, c], 3);
    const second = await produce(topic, 'second', 60);
    await waitUntil(() => all().length >= first.length + second.length, 'the second records read');
    await waitForCommits(admin, groupId, topic);
    expect(values(all())).toEqual([...first, ...second].sort());
    const secondBy = (m: GroupMember) => m.seen.filter((d) => d.value.startsWith('second'));
    const three = [a, b, c];
    for (const m of three) expect(secondBy(m).length).toBeGreaterThan(0);
    // Each partition went to one member only in the second round.
    for (const p of [0, 1, 2]) {
      expect(three.filter((m) => secondBy(m).some((d) => d.partition === p))).toHaveLength(1);
    }
  });

  it('a member joining mid-consumption triggers a rebalance and nothing is lost', async () => {
    const topic = await topicOfThree();
    const groupId = unique('join');
    const a = await member(groupId, topic, 'a');
    const b = await member(groupId, topic, 'b');
    await waitForSplit(admin, groupId, [a, b], 3);
    const sent: string[] = [];
    let round = 0;
    let c: GroupMember | undefined;
    const seen = () => [...a.seen, ...b.seen, ...(c?.seen ?? [])];
    const produceRound = async () => sent.push(...(await produce(topic, `r${round++}`, 12)));
    for (let i = 0; i < 4; i++) await produceRound();
    await waitUntil(() => seen().length >= 24, 'consumption under way');

    c = await member(groupId, topic, 'c');
    // Keep producing while the group rebalances, until the new member owns a partition.
    while (c.assignment.length === 0) await produceRound();
    await waitForSplit(admin, groupId, [a, b, c], 3);
    for (let i = 0; i < 3; i++) await produceRound();

    await waitUntil(() => new Set(seen().map((d) => d.value)).size === sent.length, 'every record read');
    expect([...new Set(values(seen()))]).toEqual([...sent].sort());
    expect(c.seen.length).toBeGreaterThan(0);
  });

  it('a member leaving hands its partitions to the others', async () => {
    const topic = await topicOfThree();
    const groupId = unique('leave');
    const a = await member(groupId, topic, 'a');
    const b = await GroupMember.start({ kafka, groupId, topic, name: 'b' });
    await waitForSplit(admin, groupId, [a, b], 3);
    const before = await produce(topic, 'before', 24);
    await waitUntil(() => a.seen.length + b.seen.length >= before.length, 'the first records read');
    await waitForCommits(admin, groupId, topic);
    await b.stop(); // LeaveGroup

    await waitForSplit(admin, groupId, [a], 3);
    const after = await produce(topic, 'after', 24);
    await waitUntil(() => a.seen.length + b.seen.length >= before.length + after.length, 'the rest read');
    expect(values([...a.seen, ...b.seen])).toEqual([...before, ...after].sort());
    expect(values(a.seen.filter((d) => d.value.startsWith('after')))).toEqual([...after].sort());
  });
});
