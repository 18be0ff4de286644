// Consumer groups on a single broker: Kafka's join/sync rebalance protocol
// (Empty → PreparingRebalance → CompletingRebalance → Stable), session
// expiry, and committed offsets.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from './protocol/error-codes.js';

export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
}

export interface JoinResult {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocol: string;
  readonly leaderId: string;
  readonly memberId: string;
  readonly members: readonly { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  readonly errorCode: number;
  readonly assignment: Buffer;
}

export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string | null;
}

interface Member {
  readonly id: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  lastSeen: number;
  assignment: Buffer;
  pendingJoin: ((r: JoinResult) => void) | undefined;
  pendingSync: ((r: SyncResult) => void) | undefined;
}

type State = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

interface Group {
  readonly id: string;
  state: State;
  generation: number;
  protocolType: string | undefined;
  protocol: string;
  leader: string;
  readonly members: Map<string, Member>;
  rebalanceTimer: NodeJS.Timeout | undefined;
  readonly offsets: Map<string, CommittedOffset>;
}

const offsetKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function joinError(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocol: '', leaderId: '', memberId, members: [] };
}

export class GroupCoordinator {
  readonly #groups = new Map<string, Group>();
  readonly #sweeper: NodeJS.Timeout;

  constructor() {
    this.#sweeper = setInterval(() => this.#expireSessions(), 250);
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
        offsets: new Map(),
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
    let member: Member | undefined;
    if (req.memberId === '') {
      member = {
        id: `${req.clientId}-${randomUUID()}`,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        lastSeen: Date.now(),
        assignment: Buffer.alloc(0),
        pendingJoin: undefined,
        pendingSync: undefined,
      };
      g.members.set(member.id, member);
    } else {
      member = g.members.get(req.memberId);
      if (member === undefined) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      member.sessionTimeoutMs = req.sessionTimeoutMs;
      member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
      member.protocols = req.protocols;
      member.lastSeen = Date.now();
    }
    g.protocolType = req.protocolType;
    const joined = member;
    const result = new Promise<JoinResult>((resolve) => {
      joined.pendingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, joined.id));
      joined.pendingJoin = resolve;
    });
    this.#prepareRebalance(g);
    this.#maybeCompleteJoin(g);
    return result;
  }

  #prepareRebalance(g: Group): void {
    if (g.state === 'PreparingRebalance') return;
    for (const m of g.members.values()) {
      m.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
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
      g.state = 'Empty';
      g.protocolType = undefined;
      g.leader = '';
      return;
    }
    g.protocol = this.#electProtocol(members);
    if (!g.members.has(g.leader)) g.leader = members[0]!.id;
    g.state = 'CompletingRebalance';
    for (const m of members) {
      const resolve = m.pendingJoin!;
      m.pendingJoin = undefined;
      resolve({
        errorCode: ErrorCode.NONE,
        generationId: g.generation,
        protocol: g.protocol,
        leaderId: g.leader,
        memberId: m.id,
        members:
          m.id === g.leader
            ? members.map((x) => ({
                memberId: x.id,
                metadata: x.protocols.find((p) => p.name === g.protocol)?.metadata ?? Buffer.alloc(0),
              }))
            : [],
      });
    }
  }

  /** Each member votes for its most preferred protocol that every member supports. */
  #electProtocol(members: readonly Member[]): string {
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

  sync(
    groupId: string,
    memberId: string,
    generation: number,
    assignments: readonly { memberId: string; assignment: Buffer }[],
  ): Promise<SyncResult> {
    const empty = Buffer.alloc(0);
    const g = this.#groups.get(groupId);
    const member = g?.members.get(memberId);
    if (g === undefined || member === undefined) {
      return Promise.resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: empty });
    }
    member.lastSeen = Date.now();
    if (generation !== g.generation) {
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
    if (memberId === g.leader) {
      for (const m of g.members.values()) {
        m.assignment = assignments.find((a) => a.memberId === m.id)?.assignment ?? empty;
      }
      g.state = 'Stable';
      for (const m of g.members.values()) {
        m.pendingSync?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
        m.pendingSync = undefined;
      }
    }
    return result;
  }

  heartbeat(groupId: string, memberId: string, generation: number): number {
    const g = this.#groups.get(groupId);
    const member = g?.members.get(memberId);
    if (g === undefined || member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    member.lastSeen = Date.now();
    if (g.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    if (generation !== g.generation) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
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
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (g.state === 'PreparingRebalance') this.#maybeCompleteJoin(g);
    else if (g.members.size > 0) this.#prepareRebalance(g);
    else {
      g.state = 'Empty';
      g.generation++;
      g.protocolType = undefined;
      g.leader = '';
    }
  }

  #expireSessions(): void {
    const now = Date.now();
    for (const g of this.#groups.values()) {
      for (const m of [...g.members.values()]) {
        if (m.pendingJoin === undefined && now - m.lastSeen > m.sessionTimeoutMs) this.#remove(g, m);
      }
    }
  }

  /** Per-partition error codes, in the order given. */
  commit(
    groupId: string,
    generation: number,
    memberId: string,
    offsets: readonly { topic: string; partition: number; offset: number; metadata: string | null }[],
  ): number[] {
    const g = this.#group(groupId);
    let errorCode: number = ErrorCode.NONE;
    // generation -1 with no member id is a commit from outside the group protocol.
    if (generation !== -1 || memberId !== '') {
      const member = g.members.get(memberId);
      if (member === undefined) errorCode = ErrorCode.UNKNOWN_MEMBER_ID;
      else if (g.state === 'PreparingRebalance') errorCode = ErrorCode.REBALANCE_IN_PROGRESS;
      else if (generation !== g.generation) errorCode = ErrorCode.ILLEGAL_GENERATION;
      if (member !== undefined) member.lastSeen = Date.now();
    }
    if (errorCode === ErrorCode.NONE) {
      for (const o of offsets) {
        // Kafka stores a null metadata as the empty string.
        g.offsets.set(offsetKey(o.topic, o.partition), { offset: o.offset, metadata: o.metadata ?? '' });
      }
    }
    return offsets.map(() => errorCode);
  }

  committed(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.#groups.get(groupId)?.offsets.get(offsetKey(topic, partition));
  }

  /** Every (topic, partition) the group has committed, for OffsetFetch with null topics. */
  committedPartitions(groupId: string): { topic: string; partition: number }[] {
    return [...(this.#groups.get(groupId)?.offsets.keys() ?? [])].map((k) => {
      const [topic, partition] = k.split('\u0000');
      return { topic: topic!, partition: Number(partition) };
    });
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const g of this.#groups.values()) clearTimeout(g.rebalanceTimer);
  }
}
