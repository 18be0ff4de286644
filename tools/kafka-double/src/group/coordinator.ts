// Consumer groups on a single broker: Kafka's join/sync rebalance protocol
// (Empty → PreparingRebalance → CompletingRebalance → Stable), session expiry
// of members that stop heartbeating, and offsets committed per generation.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes.js';
import { CommittedOffsets, type OffsetToCommit } from './committed-offsets.js';
import {
  type Group,
  type GroupDescription,
  type JoinRequest,
  type JoinResult,
  joinError,
  type Member,
  type SyncRequest,
  type SyncResult,
} from './types.js';

export interface GroupCoordinatorOptions {
  /** Milliseconds now, for session expiry. Default Date.now. */
  readonly now?: () => number;
  /** How often sessions are checked for expiry. Default 100 ms. */
  readonly sweepIntervalMs?: number;
}

const empty = Buffer.alloc(0);

export class GroupCoordinator {
  readonly offsets = new CommittedOffsets();
  readonly #groups = new Map<string, Group>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(options: GroupCoordinatorOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.expireSessions(), options.sweepIntervalMs ?? 100);
    this.#sweeper.unref();
  }

  #group(id: string): Group {
    let g = this.#groups.get(id);
    if (g === undefined) {
      g = {
        id,
        state: 'Empty',
        generation: 0,
        protocolType: undefined,
        protocol: '',
        leader: '',
        members: new Map(),
        rebalanceTimer: undefined,
      };
      this.#groups.set(id, g);
    }
    return g;
  }

  join(req: JoinRequest): Promise<JoinResult> {
    if (req.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (req.sessionTimeoutMs <= 0) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const g = this.#group(req.groupId);
    if (g.members.size > 0) {
      const shared = req.protocols.some((p) =>
        [...g.members.values()].every((m) => m.protocols.some((q) => q.name === p.name)),
      );
      if (g.protocolType !== req.protocolType || !shared) {
        return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
      }
    }
    const member = req.memberId === '' ? this.#newMember(g, req) : g.members.get(req.memberId);
    if (member === undefined) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.protocols = req.protocols;
    member.lastSeen = this.#now();
    g.protocolType = req.protocolType;
    const result = new Promise<JoinResult>((resolve) => {
      member.pendingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.id));
      member.pendingJoin = resolve;
    });
    this.#prepareRebalance(g);
    this.#maybeCompleteJoin(g);
    return result;
  }

  #newMember(g: Group, req: JoinRequest): Member {
    const member: Member = {
      id: `${req.clientId}-${randomUUID()}`,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      lastSeen: this.#now(),
      assignment: empty,
      pendingJoin: undefined,
      pendingSync: undefined,
    };
    g.members.set(member.id, member);
    return member;
  }

  /** A member joined or left: every member must rejoin before a new generation starts. */
  #prepareRebalance(g: Group): void {
    if (g.state === 'PreparingRebalance') return;
    for (const m of g.members.values()) {
      m.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: empty });
      m.pendingSync = undefined;
    }
    g.state = 'PreparingRebalance';
    const timeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    g.rebalanceTimer = setTimeout(() => {
      // Members that did not rejoin in time are dropped from the new generation.
      for (const m of g.members.values()) if (m.pendingJoin === undefined) g.members.delete(m.id);
      this.#maybeCompleteJoin(g);
    }, timeout);
    g.rebalanceTimer.unref();
  }

  #maybeCompleteJoin(g: Group): void {
    if (g.state !== 'PreparingRebalance') return;
    const members = [...g.members.values()];
    if (members.some((m) => m.pendingJoin === undefined)) return;
    clearTimeout(g.rebalanceTimer);
    g.rebalanceTimer = undefined;
    g.generation++;
    if (members.length === 0) {
      this.#empty(g);
      return;
    }
    g.protocol = electProtocol(members);
    if (!g.members.has(g.leader)) g.leader = members[0]!.id;
    g.state = 'CompletingRebalance';
    const metadata = (m: Member): Buffer => m.protocols.find((p) => p.name === g.protocol)?.metadata ?? empty;
    for (const m of members) {
      const resolve = m.pendingJoin!;
      m.pendingJoin = undefined;
      m.lastSeen = this.#now();
      resolve({
        errorCode: ErrorCode.NONE,
        generationId: g.generation,
        protocol: g.protocol,
        leaderId: g.leader,
        memberId: m.id,
        members: m.id === g.leader ? members.map((x) => ({ memberId: x.id, metadata: metadata(x) })) : [],
      });
    }
  }

  #empty(g: Group): void {
    g.state = 'Empty';
    g.protocolType = undefined;
    g.protocol = '';
    g.leader = '';
  }

  sync(req: SyncRequest): Promise<SyncResult> {
    const g = this.#groups.get(req.groupId);
    const member = g?.members.get(req.memberId);
    if (g === undefined || member === undefined) {
      return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: empty });
    }
    member.lastSeen = this.#now();
    if (req.generation !== g.generation) {
      return Promise.resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: empty });
    }
    if (g.state === 'PreparingRebalance') {
      return Promise.resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: empty });
    }
    if (g.state === 'Stable')
      return Promise.resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
    const result = new Promise<SyncResult>((resolve) => {
      member.pendingSync = resolve;
    });
    if (req.memberId === g.leader) {
      for (const m of g.members.values()) {
        m.assignment = req.assignments.find((a) => a.memberId === m.id)?.assignment ?? empty;
      }
      g.state = 'Stable';
      for (const m of g.members.values()) {
        m.pendingSync?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
        m.pendingSync = undefined;
      }
    }
    return result;
  }

  /** Kafka's order: unknown member, then stale generation, then the group's state. */
  heartbeat(groupId: string, memberId: string, generation: number): number {
    const g = this.#groups.get(groupId);
    const member = g?.members.get(memberId);
    if (g === undefined || member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    member.lastSeen = this.#now();
    return g.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const g = this.#groups.get(groupId);
    const member = g?.members.get(memberId);
    if (g === undefined || member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.#remove(g, member);
    return ErrorCode.NONE;
  }

  #remove(g: Group, member: Member): void {
    g.members.delete(member.id);
    member.pendingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.id));
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: empty });
    if (g.state === 'PreparingRebalance') this.#maybeCompleteJoin(g);
    else if (g.members.size > 0) this.#prepareRebalance(g);
    else {
      g.generation++;
      this.#empty(g);
    }
  }

  /** Evicts every member that has not been heard of for its session timeout. */
  expireSessions(): void {
    const now = this.#now();
    for (const g of this.#groups.values()) {
      for (const m of [...g.members.values()]) {
        if (m.pendingJoin === undefined && now - m.lastSeen > m.sessionTimeoutMs) this.#remove(g, m);
      }
    }
  }

  /**
   * Per-partition error codes, as Kafka answers OffsetCommit: a commit of the
   * current generation is kept while Stable and while PreparingRebalance (the
   * member learns of the rebalance from its heartbeat), refused while the new
   * generation's assignment is being synced; a stale generation is illegal.
   */
  commit(
    groupId: string,
    generation: number,
    memberId: string,
    offsets: readonly OffsetToCommit[],
  ): number[] {
    const g = this.#group(groupId);
    const code = this.#commitError(g, generation, memberId);
    if (code === ErrorCode.NONE) this.offsets.store(groupId, offsets);
    return offsets.map(() => code);
  }

  #commitError(g: Group, generation: number, memberId: string): number {
    // Generation -1 without a member id: a commit from outside the group protocol.
    if (generation === -1 && memberId === '') {
      return g.state === 'Empty' ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }
    const member = g.members.get(memberId);
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    if (g.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    member.lastSeen = this.#now();
    return ErrorCode.NONE;
  }

  describe(groupId: string): GroupDescription {
    const g = this.#groups.get(groupId);
    if (g === undefined) return { groupId, state: 'Dead', protocolType: '', protocol: '', members: [] };
    const stable = g.state === 'Stable';
    return {
      groupId,
      state: g.state,
      protocolType: g.protocolType ?? '',
      protocol: stable || g.state === 'CompletingRebalance' ? g.protocol : '',
      members: [...g.members.values()].map((m) => ({
        memberId: m.id,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? (m.protocols.find((p) => p.name === g.protocol)?.metadata ?? empty) : empty,
        assignment: stable ? m.assignment : empty,
      })),
    };
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const g of this.#groups.values()) clearTimeout(g.rebalanceTimer);
  }
}

/** Each member votes for its most preferred protocol that every member supports. */
function electProtocol(members: readonly Member[]): string {
  const candidates = members[0]!.protocols
    .map((p) => p.name)
    .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => candidates.includes(p.name))?.name;
    if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? candidates[0] ?? '';
}
