// JoinGroup (key 11) v2: answered when the rebalance completes (every member
// rejoined, or the rebalance timeout dropped the rest).
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const joinGroup: Api = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 2,
  maxVersion: 2,
  handle: async (body, header, ctx, connection) => {
    const groupId = body.string();
    const sessionTimeoutMs = body.int32();
    const rebalanceTimeoutMs = body.int32();
    const memberId = body.string();
    const protocolType = body.string();
    const protocols = body.array((r) => ({ name: r.string(), metadata: r.bytes() }));
    const res = await ctx.groups.join({
      groupId,
      memberId,
      clientId: header.clientId ?? 'client',
      clientHost: connection.clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType,
      protocols,
    });
    return new Writer()
      .int32(0)
      .int16(res.errorCode)
      .int32(res.generationId)
      .string(res.protocol)
      .string(res.leaderId)
      .string(res.memberId)
      .array(res.members, (w, m) => w.string(m.memberId).bytes(m.metadata))
      .toBuffer();
  },
};
