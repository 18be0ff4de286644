// Helpers for contract tests of consumer groups with the real kafkajs client,
// against the double or a real broker (KAFKA_BROKERS): members that record what
// they were given, waits on a group's state, and a client whose sockets can be
// destroyed at once (a killed process: no LeaveGroup, no commit).
import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { type Admin, type Consumer, type ISocketFactory, Kafka, logLevel } from 'kafkajs';

export const unique = (what: string): string => `${what}-${randomUUID().slice(0, 8)}`;

export function kafkaClient(brokers: string[], clientId: string, socketFactory?: ISocketFactory): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1_000 },
    ...(socketFactory === undefined ? {} : { socketFactory }),
  });
}

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A socket factory whose sockets all die on kill(), and every later one at once. */
export function killableSockets(): { socketFactory: ISocketFactory; kill(): void } {
  const open = new Set<Socket>();
  let killed = false;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = new Socket();
    if (killed) {
      process.nextTick(() => socket.destroy(new Error('killed')));
      return socket;
    }
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    return socket.connect({ host, port }, onConnect);
  };
  return {
    socketFactory,
    kill: () => {
      killed = true;
      for (const s of open) s.destroy(new Error('killed'));
    },
  };
}

export interface Delivery {
  readonly member: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
}

export interface MemberOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  readonly name: string;
  /** Runs after a record is recorded as seen, before kafkajs may commit it. */
  readonly onMessage?: (d: Delivery) => Promise<void>;
  /** Give up (no restart) on the first crash, as a killed process would. */
  readonly noRestart?: boolean;
}

/** One consumer of a group, recording every record it was handed and its latest assignment. */
export class GroupMember {
  readonly seen: Delivery[] = [];
  assignment: readonly number[] = [];
  readonly #consumer: Consumer;

  private constructor(consumer: Consumer) {
    this.#consumer = consumer;
  }

  static async start(o: MemberOptions): Promise<GroupMember> {
    const consumer = o.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: 6_000, // Kafka's default group.min.session.timeout.ms
      heartbeatInterval: 300,
      maxWaitTimeInMs: 500,
      ...(o.noRestart ? { retry: { retries: 0, restartOnFailure: async () => false } } : {}),
    });
    const member = new GroupMember(consumer);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      member.assignment = e.payload.memberAssignment[o.topic] ?? [];
    });
    await consumer.connect();
    await consumer.subscribe({ topic: o.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const d: Delivery = {
          member: o.name,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
        };
        member.seen.push(d);
        await o.onMessage?.(d);
      },
    });
    return member;
  }

  stop(): Promise<void> {
    return this.#consumer.disconnect();
  }
}

/** Until the group is Stable with exactly `members`, which split the topic's partitions between them. */
export async function waitForSplit(
  admin: Admin,
  groupId: string,
  members: readonly GroupMember[],
  partitions: number,
): Promise<void> {
  await waitUntil(async () => {
    const owned = members.flatMap((m) => m.assignment).sort((a, b) => a - b);
    const split =
      members.every((m) => m.assignment.length > 0) &&
      owned.length === partitions &&
      owned.every((p, i) => p === i);
    if (!split) return false;
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.state === 'Stable' && groups[0].members.length === members.length;
  }, `${members.length} members splitting ${partitions} partitions of ${groupId}`);
}

/** Until the group's committed offset of every partition is the partition's end. */
export async function waitForCommits(admin: Admin, groupId: string, topic: string): Promise<void> {
  await waitUntil(async () => {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const offset = (partition: number): string | undefined =>
      committed?.partitions.find((p) => p.partition === partition)?.offset;
    return ends.every((e) => e.high === '0' || offset(e.partition) === e.high);
  }, `${groupId} to commit every record of ${topic}`);
}

export const values = (ds: readonly Delivery[]): string[] => ds.map((d) => d.value).sort();
