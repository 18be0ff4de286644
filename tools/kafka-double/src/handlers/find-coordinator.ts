// FindCoordinator (key 10) v1: this broker coordinates every group.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const findCoordinator: Api = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 1,
  maxVersion: 1,
  handle: (body, _header, ctx) => {
    body.string(); // key
    const type = body.int8();
    const w = new Writer().int32(0);
    if (type !== 0)
      return w
        .int16(ErrorCode.INVALID_REQUEST)
        .string('only group coordinators')
        .int32(-1)
        .string('')
        .int32(-1)
        .toBuffer();
    const { nodeId, host, port } = ctx.broker;
    return w.int16(ErrorCode.NONE).string(null).int32(nodeId).string(host).int32(port).toBuffer();
  },
};
