// DescribeGroups (key 15) v0–v2: each group's state, protocol and members
// (with metadata and assignment once Stable). An unknown group is Dead, as Kafka says.
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/primitives.js';
import type { Api } from './context.js';

export const describeGroups: Api = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 2,
  handle: (body, header, ctx) => {
    const groups = body.array((r) => r.string()).map((id) => ctx.groups.describe(id));
    const w = new Writer();
    if (header.apiVersion >= 1) w.int32(0);
    return w
      .array(groups, (w, g) =>
        w
          .int16(ErrorCode.NONE)
          .string(g.groupId)
          .string(g.state)
          .string(g.protocolType)
          .string(g.protocol)
          .array(g.members, (w, m) =>
            w
              .string(m.memberId)
              .string(m.clientId)
              .string(m.clientHost)
              .bytes(m.metadata)
              .bytes(m.assignment),
          ),
      )
      .toBuffer();
  },
};
