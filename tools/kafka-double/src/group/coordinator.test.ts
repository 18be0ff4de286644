// The group coordinator's rules, driven directly with a manual clock: commits
// per generation and state, and eviction of a member that stops heartbeating.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol/error-codes.js';
import { GroupCoordinator } from './coordinator.js';
import type { JoinResult } from './types.js';

let now = 0;
let groups: GroupCoordinator;
beforeEach(() => {
  now = 1_000;
  groups = new GroupCoordinator({ now: () => now, sweepIntervalMs: 3_600_000 });
});
afterEach(() => groups.close());

const join = (memberId = '', clientId = 'c'): Promise<JoinResult> =>
  groups.join({
    groupId: 'g',
    memberId,
    clientId,
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 6_000,
    rebalanceTimeoutMs: 60_000,
    protocolType: 'consumer',
    protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from(clientId) }],
  });

const offset = [{ topic: 't', partition: 0, offset: 5, metadata: null }];
const commit = (generation: number, memberId: string): number =>
  groups.commit('g', generation, memberId, offset)[0]!;

/** One member, joined and synced: the group is Stable at generation 1. */
async function stableWithOne(): Promise<JoinResult> {
  const a = await join('', 'a');
  await groups.sync({ groupId: 'g', memberId: a.memberId, generation: a.generationId, assignments: [] });
  return a;
}

describe('the group coordinator', () => {
  it('keeps a commit of the current generation while Stable and while a rebalance is prepared', async () => {
    const a = await stableWithOne();
    expect(commit(a.generationId, a.memberId)).toBe(ErrorCode.NONE);
    const b = join('', 'b'); // a rebalance starts: a must rejoin
    expect(groups.heartbeat('g', a.memberId, a.generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(commit(a.generationId, a.memberId)).toBe(ErrorCode.NONE);
    const a2 = await join(a.memberId, 'a');
    const b2 = await b;
    expect(a2.generationId).toBe(a.generationId + 1);
    expect(b2.generationId).toBe(a2.generationId);
    // Joined but not yet synced: the new generation's commits wait for its assignment.
    expect(commit(a2.generationId, a2.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(commit(a.generationId, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(commit(a2.generationId, 'nobody')).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.offsets.get('g', 't', 0)).toEqual({ offset: 5, metadata: '' });
  });

  it('answers a stale generation’s heartbeat with ILLEGAL_GENERATION', async () => {
    const a = await stableWithOne();
    expect(groups.heartbeat('g', a.memberId, a.generationId)).toBe(ErrorCode.NONE);
    expect(groups.heartbeat('g', a.memberId, a.generationId - 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(groups.heartbeat('g', 'nobody', a.generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('evicts a member silent for its session timeout and rebalances the others', async () => {
    const a = await stableWithOne();
    const b = join('', 'b');
    const a2 = await join(a.memberId, 'a');
    const b2 = await b;
    const sync = (r: JoinResult) =>
      groups.sync({ groupId: 'g', memberId: r.memberId, generation: r.generationId, assignments: [] });
    await Promise.all([sync(a2), sync(b2)]);
    expect(groups.describe('g')).toMatchObject({ state: 'Stable', members: [{}, {}] });

    now += 5_000;
    expect(groups.heartbeat('g', a2.memberId, a2.generationId)).toBe(ErrorCode.NONE);
    now += 1_001; // b has been silent for 6 001 ms, a for 1 001 ms
    groups.expireSessions();
    expect(groups.describe('g').members.map((m) => m.memberId)).toEqual([a2.memberId]);
    expect(groups.heartbeat('g', b2.memberId, b2.generationId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.heartbeat('g', a2.memberId, a2.generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const a3 = await join(a2.memberId, 'a');
    expect(a3).toMatchObject({ errorCode: ErrorCode.NONE, generationId: a2.generationId + 1 });
    expect(a3.members.map((m) => m.memberId)).toEqual([a2.memberId]);
  });
});
