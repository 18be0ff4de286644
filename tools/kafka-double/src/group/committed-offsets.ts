// Offsets committed by each group, per topic partition. Kept for the double's
// lifetime (no retention); a deleted topic's offsets go with it.

export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string | null;
}

export interface OffsetToCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string | null;
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class CommittedOffsets {
  readonly #byGroup = new Map<string, Map<string, CommittedOffset & { topic: string; partition: number }>>();

  store(groupId: string, offsets: readonly OffsetToCommit[]): void {
    let group = this.#byGroup.get(groupId);
    if (group === undefined) {
      group = new Map();
      this.#byGroup.set(groupId, group);
    }
    // Kafka stores a null metadata as the empty string.
    for (const o of offsets) group.set(key(o.topic, o.partition), { ...o, metadata: o.metadata ?? '' });
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    const c = this.#byGroup.get(groupId)?.get(key(topic, partition));
    return c === undefined ? undefined : { offset: c.offset, metadata: c.metadata };
  }

  /** Every (topic, partition) the group has committed, for OffsetFetch with null topics. */
  partitions(groupId: string): { topic: string; partition: number }[] {
    return [...(this.#byGroup.get(groupId)?.values() ?? [])].map(({ topic, partition }) => ({
      topic,
      partition,
    }));
  }

  forgetTopic(topic: string): void {
    for (const group of this.#byGroup.values()) {
      for (const [k, o] of group) if (o.topic === topic) group.delete(k);
    }
  }
}
