// Fetch (key 1) v4: stored record batches (v2) from the fetch offset, long-polling
// up to max_wait_time while nothing (no data, no error) is there to return.
import { ErrorCode } from '../protocol/error-codes.js';
import { type Reader, Writer } from '../protocol/primitives.js';
import type { Api, BrokerContext } from './context.js';

interface PartitionRequest {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
}

interface PartitionAnswer {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly batches: Buffer[];
}

function readPartition(r: Reader): PartitionRequest {
  return { partition: r.int32(), fetchOffset: r.int64n(), maxBytes: r.int32() };
}

function answer(ctx: BrokerContext, topic: string, p: PartitionRequest): PartitionAnswer {
  const hw = ctx.store.highWatermark(topic, p.partition);
  if (ctx.faults.fetchError !== null)
    return { partition: p.partition, errorCode: ctx.faults.fetchError, highWatermark: hw ?? -1, batches: [] };
  if (hw === undefined) {
    return {
      partition: p.partition,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      highWatermark: -1,
      batches: [],
    };
  }
  if (p.fetchOffset < 0 || p.fetchOffset > hw) {
    return {
      partition: p.partition,
      errorCode: ErrorCode.OFFSET_OUT_OF_RANGE,
      highWatermark: hw,
      batches: [],
    };
  }
  const batches = ctx.store.read(topic, p.partition, p.fetchOffset, p.maxBytes);
  return { partition: p.partition, errorCode: ErrorCode.NONE, highWatermark: hw, batches };
}

export const fetch: Api = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 4,
  handle: async (body, _header, ctx) => {
    body.int32(); // replica id
    const maxWaitMs = body.int32();
    const minBytes = body.int32();
    body.int32(); // response max bytes: partitions' max bytes bound it already
    body.int8(); // isolation level: nothing is transactional here
    const topics = body.array((r) => ({ topic: r.string(), partitions: r.array(readPartition) }));
    const collect = () =>
      topics.map(({ topic, partitions }) => ({
        topic,
        partitions: partitions.map((p) => answer(ctx, topic, p)),
      }));
    // Kafka answers at once when there is data or an error to report.
    const ready = (rs: ReturnType<typeof collect>): boolean =>
      rs.some((t) => t.partitions.some((p) => p.batches.length > 0 || p.errorCode !== ErrorCode.NONE));
    let results = collect();
    const deadline = Date.now() + Math.max(0, maxWaitMs);
    while (minBytes > 0 && !ready(results) && Date.now() < deadline && !ctx.closed()) {
      await ctx.store.waitForAppend(deadline - Date.now());
      results = collect();
    }
    return new Writer()
      .int32(0)
      .array(results, (w, t) =>
        w.string(t.topic).array(t.partitions, (w, p) =>
          w
            .int32(p.partition)
            .int16(p.errorCode)
            .int64(p.highWatermark)
            .int64(p.highWatermark)
            .array([], () => {})
            .bytes(Buffer.concat(p.batches)),
        ),
      )
      .toBuffer();
  },
};
