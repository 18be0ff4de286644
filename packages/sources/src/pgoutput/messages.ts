// pgoutput logical replication messages, as decoded (protocol versions 1-4).

export interface RelationColumn {
  readonly isKey: boolean;
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
}

/**
 * One column of a tuple: null, unchanged TOAST (value not sent), its text/binary bytes, or
 * skipped (sent, but a column the reader said it does not need: its bytes were stepped over).
 */
export type TupleCell =
  | { readonly kind: 'null' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'binary'; readonly value: Buffer };

export type Tuple = readonly TupleCell[];

export type PgOutputMessage =
  | { readonly tag: 'begin'; readonly finalLsn: bigint; readonly commitTime: bigint; readonly xid: number }
  | {
      readonly tag: 'commit';
      readonly flags: number;
      readonly commitLsn: bigint;
      readonly endLsn: bigint;
      readonly commitTime: bigint;
    }
  | { readonly tag: 'origin'; readonly lsn: bigint; readonly name: string }
  | {
      readonly tag: 'relation';
      readonly xid?: number;
      readonly oid: number;
      readonly namespace: string;
      readonly name: string;
      readonly replicaIdentity: string;
      readonly columns: readonly RelationColumn[];
    }
  | {
      readonly tag: 'type';
      readonly xid?: number;
      readonly oid: number;
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly tag: 'insert'; readonly xid?: number; readonly oid: number; readonly newTuple: Tuple }
  | {
      readonly tag: 'update';
      readonly xid?: number;
      readonly oid: number;
      /** 'K' = key columns only, 'O' = the full old row (REPLICA IDENTITY FULL). */
      readonly oldKind?: 'K' | 'O';
      readonly oldTuple?: Tuple;
      readonly newTuple: Tuple;
    }
  | {
      readonly tag: 'delete';
      readonly xid?: number;
      readonly oid: number;
      readonly oldKind: 'K' | 'O';
      readonly oldTuple: Tuple;
    }
  | {
      readonly tag: 'truncate';
      readonly xid?: number;
      readonly options: number;
      readonly oids: readonly number[];
    }
  | {
      readonly tag: 'message';
      readonly xid?: number;
      readonly transactional: boolean;
      readonly lsn: bigint;
      readonly prefix: string;
      readonly content: Buffer;
    }
  | { readonly tag: 'stream_start'; readonly xid: number; readonly firstSegment: boolean }
  | { readonly tag: 'stream_stop' }
  | {
      readonly tag: 'stream_commit';
      readonly xid: number;
      readonly flags: number;
      readonly commitLsn: bigint;
      readonly endLsn: bigint;
      readonly commitTime: bigint;
    }
  | {
      readonly tag: 'stream_abort';
      readonly xid: number;
      readonly subXid: number;
      readonly abortLsn?: bigint;
    };
