// SyncGroup (key 14) v1: the leader's assignments, handed to every member.
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const syncGroup: Api = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 1,
  maxVersion: 1,
  handle: async (body, _header, ctx) => {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    const assignments = body.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));
    const res = await ctx.groups.sync({ groupId, memberId, generation, assignments });
    return new Writer().int32(0).int16(res.errorCode).bytes(res.assignment).toBuffer();
  },
};
