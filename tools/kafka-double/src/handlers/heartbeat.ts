// Heartbeat (key 12) v1 and LeaveGroup (key 13) v1: same shape, one error code back.
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const heartbeat: Api = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 1,
  maxVersion: 1,
  handle: (body, _header, ctx) => {
    const groupId = body.string();
    const generation = body.int32();
    const memberId = body.string();
    return new Writer()
      .int32(0)
      .int16(ctx.groups.heartbeat(groupId, memberId, generation))
      .toBuffer();
  },
};

export const leaveGroup: Api = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 1,
  maxVersion: 1,
  handle: (body, _header, ctx) => {
    const groupId = body.string();
    const memberId = body.string();
    return new Writer().int32(0).int16(ctx.groups.leave(groupId, memberId)).toBuffer();
  },
};
