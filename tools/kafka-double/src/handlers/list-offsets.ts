// ListOffsets (key 2) v2: latest (-1), earliest (-2) or by timestamp.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const listOffsets: Api = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 2,
  maxVersion: 2,
  handle: (body, _header, ctx) => {
    body.int32(); // replica id
    body.int8(); // isolation level: the last stable offset is the high watermark here
    const topics = body.array((r) => ({
      topic: r.string(),
      partitions: r.array((p) => ({ partition: p.int32(), timestamp: p.int64n() })),
    }));
    return new Writer()
      .int32(0)
      .array(topics, (w, t) =>
        w.string(t.topic).array(t.partitions, (w, p) => {
          const offset = ctx.store.offsetForTimestamp(t.topic, p.partition, p.timestamp);
          if (offset === undefined) {
            w.int32(p.partition).int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
          } else {
            const timestamp = p.timestamp < 0 || offset === -1 ? -1 : p.timestamp;
            w.int32(p.partition).int16(ErrorCode.NONE).int64(timestamp).int64(offset);
          }
        }),
      )
      .toBuffer();
  },
};
