// OffsetCommit (key 8) v3 and OffsetFetch (key 9) v3: a group's committed offsets.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const offsetCommit: Api = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 3,
  maxVersion: 3,
  handle: (body, _header, ctx) => {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    body.int64(); // retention: offsets are kept for the double's lifetime
    const topics = body.array((r) => ({
      topic: r.string(),
      partitions: r.array((p) => ({
        partition: p.int32(),
        offset: p.int64n(),
        metadata: p.nullableString(),
      })),
    }));
    const flat = topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, ...p })));
    const codes = ctx.groups.commit(groupId, generation, memberId, flat);
    let i = 0;
    return new Writer()
      .int32(0)
      .array(topics, (w, t) =>
        w.string(t.topic).array(t.partitions, (w, p) => w.int32(p.partition).int16(codes[i++]!)),
      )
      .toBuffer();
  },
};

export const offsetFetch: Api = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 3,
  maxVersion: 3,
  handle: (body, _header, ctx) => {
    const groupId = body.string();
    const requested = body.nullableArray((r) => ({
      topic: r.string(),
      partitions: r.array((p) => p.int32()),
    }));
    const topics = requested ?? byTopic(ctx.groups.offsets.partitions(groupId));
    return new Writer()
      .int32(0)
      .array(topics, (w, t) =>
        w.string(t.topic).array(t.partitions, (w, partition) => {
          const c = ctx.groups.offsets.get(groupId, t.topic, partition);
          w.int32(partition)
            .int64(c?.offset ?? -1)
            .string(c?.metadata ?? '')
            .int16(ErrorCode.NONE);
        }),
      )
      .int16(ErrorCode.NONE)
      .toBuffer();
  },
};

function byTopic(
  cs: readonly { topic: string; partition: number }[],
): { topic: string; partitions: number[] }[] {
  const m = new Map<string, number[]>();
  for (const c of cs) m.set(c.topic, [...(m.get(c.topic) ?? []), c.partition]);
  return [...m.entries()].map(([topic, partitions]) => ({ topic, partitions }));
}
