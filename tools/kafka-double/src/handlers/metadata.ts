// Metadata (key 3) v5: the single broker leads every partition. Requested
// topics are created on the fly when the client allows it and the double does.
import { isLegalTopicName } from '../log-store.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const metadata: Api = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 5,
  maxVersion: 5,
  handle: (body, _header, ctx) => {
    const requested = body.nullableArray((r) => r.string());
    const allowAutoCreate = body.boolean();
    const names = requested ?? ctx.store.topicNames();
    const { nodeId, host, port } = ctx.broker;
    const w = new Writer()
      .int32(0)
      .array([ctx.broker], (w) => w.int32(nodeId).string(host).int32(port).string(null))
      .string(ctx.clusterId)
      .int32(nodeId);
    w.array(names, (w, name) => {
      if (!isLegalTopicName(name)) {
        w.int16(ErrorCode.INVALID_TOPIC_EXCEPTION).string(name).boolean(false).int32(0);
        return;
      }
      if (ctx.store.partitionCount(name) === undefined && allowAutoCreate && ctx.autoCreateTopics) {
        ctx.store.createTopic(name, ctx.defaultPartitions);
      }
      const partitions = ctx.store.partitionCount(name);
      if (partitions === undefined) {
        w.int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).string(name).boolean(false).int32(0);
        return;
      }
      w.int16(ErrorCode.NONE).string(name).boolean(false);
      w.array(
        Array.from({ length: partitions }, (_, i) => i),
        (w, p) =>
          w
            .int16(ErrorCode.NONE)
            .int32(p)
            .int32(nodeId)
            .array([nodeId], (w, n) => w.int32(n))
            .array([nodeId], (w, n) => w.int32(n))
            .array([], (w, n: number) => w.int32(n)),
      );
    });
    return w.toBuffer();
  },
};
