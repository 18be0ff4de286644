// Shapes the group coordinator takes and gives back (JoinGroup, SyncGroup,
// DescribeGroups), and the state of one group and its members.

export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
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

export interface SyncRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly generation: number;
  readonly assignments: readonly { memberId: string; assignment: Buffer }[];
}

export interface SyncResult {
  readonly errorCode: number;
  readonly assignment: Buffer;
}

/** Kafka's group states, as DescribeGroups names them. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly {
    memberId: string;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }[];
}

export interface Member {
  readonly id: string;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  lastSeen: number;
  assignment: Buffer;
  pendingJoin: ((r: JoinResult) => void) | undefined;
  pendingSync: ((r: SyncResult) => void) | undefined;
}

export interface Group {
  readonly id: string;
  state: Exclude<GroupState, 'Dead'>;
  generation: number;
  protocolType: string | undefined;
  protocol: string;
  leader: string;
  readonly members: Map<string, Member>;
  rebalanceTimer: NodeJS.Timeout | undefined;
}

export function joinError(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocol: '', leaderId: '', memberId, members: [] };
}
