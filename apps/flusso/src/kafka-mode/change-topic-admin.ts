// What the capture role asks the broker about its own topic when it must rebuild
// an index (TRUNCATE): the topic's partitions, and whether the workers' group has
// committed every record produced so far (drained: no worker writes any more).
import { type Clock, FlussoError, systemClock } from '@flusso/core';
import { kafkaConfigOf } from '@flusso/sinks/kafka';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { ChangeTopic } from './record-producer.js';

export interface GroupProgress {
  readonly committed: number;
  readonly end: number;
}

export interface TopicProgress {
  /** The topic's partitions. */
  partitions(): Promise<readonly number[]>;
  /** Resolves once the group committed every record now in the topic; rejects if `signal` aborts. */
  drained(signal: AbortSignal, onWait?: (behind: number) => void): Promise<void>;
  close(): Promise<void>;
}

export class KafkaTopicProgress implements TopicProgress {
  private constructor(
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly group: string,
    private readonly clock: Clock,
  ) {}

  static async open(
    o: ChangeTopic,
    group: string,
    clock: Clock = systemClock,
    clientId = 'flusso-capture-admin',
  ): Promise<KafkaTopicProgress> {
    const kafka = new Kafka({
      ...kafkaConfigOf(o, clientId),
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      throw new FlussoError('sink_transient', 'the change topic could not be reached', {
        context: { topic: o.topic, reason: (error as { name?: string }).name ?? 'error' },
        cause: error,
      });
    }
    return new KafkaTopicProgress(admin, o.topic, group, clock);
  }

  async partitions(): Promise<readonly number[]> {
    const offsets = await this.admin.fetchTopicOffsets(this.topic);
    return offsets.map((o) => o.partition).sort((a, b) => a - b);
  }

  /** Records produced and not yet committed by the group, over every partition. */
  async behind(): Promise<number> {
    const { committed, end } = await this.groupProgress();
    return end - committed;
  }

  /**
   * Over every partition: `end`, the records in the topic (the sum of the high
   * watermarks), and `committed`, how many of them the group has committed.
   */
  async groupProgress(): Promise<GroupProgress> {
    const ends = await this.admin.fetchTopicOffsets(this.topic);
    const [committed] = await this.admin.fetchOffsets({ groupId: this.group, topics: [this.topic] });
    const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    let done = 0n;
    let end = 0n;
    for (const e of ends) {
      const high = BigInt(e.high ?? e.offset);
      const offset = at.get(e.partition) ?? -1n;
      end += high;
      done += offset < 0n ? 0n : offset > high ? high : offset;
    }
    return { committed: Number(done), end: Number(end) };
  }

  async drained(signal: AbortSignal, onWait?: (behind: number) => void): Promise<void> {
    let waits = 0;
    for (;;) {
      if (signal.aborted) throw new FlussoError('shutdown', 'stopped while waiting for the workers');
      const behind = await this.behind();
      if (behind === 0) return;
      // Every 10 s of waiting is reported (a capture waits for its workers here).
      if (waits % 50 === 0) onWait?.(behind);
      waits += 1;
      await this.clock.sleep(200, signal).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
