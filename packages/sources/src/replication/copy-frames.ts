// The replication sub-protocol inside CopyData: XLogData ('w') and primary
// keepalive ('k') from the server; standby status updates ('r') from us.
import { FlussoError } from '@flusso/core';
import { ByteReader } from '../pgoutput/byte-reader.js';

/** Microseconds between the Unix epoch and Postgres' epoch (2000-01-01). */
const PG_EPOCH_OFFSET_US = 946_684_800_000_000n;

export type ServerFrame =
  | { readonly kind: 'xlog'; readonly walStart: bigint; readonly walEnd: bigint; readonly payload: Buffer }
  | { readonly kind: 'keepalive'; readonly walEnd: bigint; readonly replyRequested: boolean };

export function parseServerFrame(frame: Buffer): ServerFrame {
  const r = new ByteReader(frame);
  const tag = r.char('copy frame tag');
  if (tag === 'w') {
    const walStart = r.u64('wal start');
    const walEnd = r.u64('wal end');
    r.u64('send time');
    return { kind: 'xlog', walStart, walEnd, payload: r.bytes(r.remaining, 'xlog payload') };
  }
  if (tag === 'k') {
    const walEnd = r.u64('wal end');
    r.u64('send time');
    return { kind: 'keepalive', walEnd, replyRequested: r.u8('reply flag') === 1 };
  }
  throw new FlussoError('decode_failed', `replication: unknown copy frame tag ${JSON.stringify(tag)}`);
}

/** A standby status update reporting `lsn` as written, flushed and applied. */
export function standbyStatusUpdate(lsn: bigint, nowMs: number, replyRequested = false): Buffer {
  const b = Buffer.alloc(34);
  b.write('r', 0, 'latin1');
  b.writeBigUInt64BE(lsn, 1);
  b.writeBigUInt64BE(lsn, 9);
  b.writeBigUInt64BE(lsn, 17);
  b.writeBigUInt64BE(BigInt(Math.floor(nowMs)) * 1000n - PG_EPOCH_OFFSET_US, 25);
  b.writeUInt8(replyRequested ? 1 : 0, 33);
  return b;
}
