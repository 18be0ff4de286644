// Decodes pgoutput frames. Stateful only in one bit: inside a Stream Start/Stop
// block, data messages carry the transaction id (protocol v2+).
import { FlussoError } from '@flusso/core';
import { ByteReader } from './byte-reader.js';
import type { PgOutputMessage, RelationColumn, Tuple, TupleCell } from './messages.js';

const MAX_COLUMNS = 1664; // Postgres' own limit on columns in a row

function fail(message: string, context: Record<string, string | number> = {}): never {
  throw new FlussoError('decode_failed', `pgoutput: ${message}`, { context });
}

function count(r: ByteReader, what: string, max: number): number {
  const n = r.i16(what);
  if (n < 0 || n > max) fail(`${what} ${n} out of range`);
  return n;
}

// Cells without a value are shared: nothing mutates a decoded tuple.
const NULL_CELL: TupleCell = { kind: 'null' };
const UNCHANGED_CELL: TupleCell = { kind: 'unchanged' };
const SKIPPED_CELL: TupleCell = { kind: 'skipped' };

/**
 * Which columns of a relation the reader needs (by position; absent = all). A value of a
 * column it does not need is stepped over: no string is made for it.
 */
export type ColumnMask = (relationOid: number) => readonly boolean[] | undefined;

function tuple(r: ByteReader, mask: readonly boolean[] | undefined): Tuple {
  const n = count(r, 'column count', MAX_COLUMNS);
  const cells: TupleCell[] = [];
  for (let i = 0; i < n; i++) {
    const kind = r.char('cell kind');
    if (kind === 'n') cells.push(NULL_CELL);
    else if (kind === 'u') cells.push(UNCHANGED_CELL);
    else if (kind === 't' || kind === 'b') {
      const len = r.i32('cell length');
      if (mask !== undefined && mask[i] === false) {
        r.skip(len, 'cell value');
        cells.push(SKIPPED_CELL);
        continue;
      }
      cells.push(
        kind === 't'
          ? { kind: 'text', value: r.text(len, 'cell value') }
          : { kind: 'binary', value: Buffer.from(r.bytes(len, 'cell value')) },
      );
    } else fail(`unknown tuple cell kind ${JSON.stringify(kind)}`, { column: i });
  }
  return cells;
}

function relationColumns(r: ByteReader): RelationColumn[] {
  const n = count(r, 'relation column count', MAX_COLUMNS);
  const columns: RelationColumn[] = [];
  for (let i = 0; i < n; i++) {
    const flags = r.u8('column flags');
    columns.push({
      isKey: (flags & 1) === 1,
      name: r.cstring('column name'),
      typeOid: r.u32('type oid'),
      typeModifier: r.i32('type modifier'),
    });
  }
  return columns;
}

function oldOrKey(r: ByteReader): 'K' | 'O' {
  const k = r.char('old tuple kind');
  if (k !== 'K' && k !== 'O') fail(`expected K or O tuple, got ${JSON.stringify(k)}`);
  return k;
}

function expectNew(r: ByteReader, tag: string): void {
  const n = r.char('new tuple marker');
  if (n !== 'N') fail(`${tag}: expected N tuple, got ${JSON.stringify(n)}`);
}

export class PgOutputDecoder {
  private inStream = false;

  constructor(
    private readonly protocolVersion: number,
    private readonly mask: ColumnMask = () => undefined,
  ) {}

  decode(frame: Buffer): PgOutputMessage {
    const r = new ByteReader(frame);
    const tag = r.char('message tag');
    const message = this.decodeTagged(tag, r);
    if (r.remaining !== 0) fail(`${r.remaining} trailing bytes after ${message.tag}`);
    return message;
  }

  private xid(r: ByteReader): { xid?: number } {
    return this.inStream && this.protocolVersion >= 2 ? { xid: r.u32('xid') } : {};
  }

  private decodeTagged(tag: string, r: ByteReader): PgOutputMessage {
    switch (tag) {
      case 'B':
        return {
          tag: 'begin',
          finalLsn: r.u64('final lsn'),
          commitTime: r.u64('commit time'),
          xid: r.u32('xid'),
        };
      case 'C':
        return {
          tag: 'commit',
          flags: r.u8('flags'),
          commitLsn: r.u64('commit lsn'),
          endLsn: r.u64('end lsn'),
          commitTime: r.u64('commit time'),
        };
      case 'O':
        return { tag: 'origin', lsn: r.u64('origin lsn'), name: r.cstring('origin name') };
      case 'R': {
        const x = this.xid(r);
        const oid = r.u32('relation oid');
        return {
          tag: 'relation',
          ...x,
          oid,
          namespace: r.cstring('namespace'),
          name: r.cstring('relation name'),
          replicaIdentity: r.char('replica identity'),
          columns: relationColumns(r),
        };
      }
      case 'Y': {
        const x = this.xid(r);
        return {
          tag: 'type',
          ...x,
          oid: r.u32('type oid'),
          namespace: r.cstring('namespace'),
          name: r.cstring('type name'),
        };
      }
      case 'I': {
        const x = this.xid(r);
        const oid = r.u32('relation oid');
        expectNew(r, 'insert');
        return { tag: 'insert', ...x, oid, newTuple: tuple(r, this.mask(oid)) };
      }
      case 'U':
        return this.update(r);
      case 'D': {
        const x = this.xid(r);
        const oid = r.u32('relation oid');
        const oldKind = oldOrKey(r);
        return { tag: 'delete', ...x, oid, oldKind, oldTuple: tuple(r, this.mask(oid)) };
      }
      case 'T': {
        const x = this.xid(r);
        const n = r.i32('relation count');
        if (n < 0 || n * 4 > r.remaining) fail(`truncate relation count ${n} out of range`);
        const options = r.u8('truncate options');
        const oids: number[] = [];
        for (let i = 0; i < n; i++) oids.push(r.u32('relation oid'));
        return { tag: 'truncate', ...x, options, oids };
      }
      case 'M': {
        const x = this.xid(r);
        const transactional = r.u8('flags') === 1;
        const lsn = r.u64('message lsn');
        const prefix = r.cstring('prefix');
        const len = r.i32('content length');
        return {
          tag: 'message',
          ...x,
          transactional,
          lsn,
          prefix,
          content: Buffer.from(r.bytes(len, 'content')),
        };
      }
      default:
        return this.decodeStreamed(tag, r);
    }
  }

  private update(r: ByteReader): PgOutputMessage {
    const x = this.xid(r);
    const oid = r.u32('relation oid');
    const marker = r.char('update tuple marker');
    const mask = this.mask(oid);
    if (marker === 'N') return { tag: 'update', ...x, oid, newTuple: tuple(r, mask) };
    if (marker !== 'K' && marker !== 'O') fail(`update: unexpected tuple marker ${JSON.stringify(marker)}`);
    const oldTuple = tuple(r, mask);
    expectNew(r, 'update');
    return { tag: 'update', ...x, oid, oldKind: marker, oldTuple, newTuple: tuple(r, mask) };
  }

  private decodeStreamed(tag: string, r: ByteReader): PgOutputMessage {
    switch (tag) {
      case 'S': {
        if (this.inStream) fail('stream start inside a stream');
        const xid = r.u32('xid');
        const firstSegment = r.u8('first segment') === 1;
        this.inStream = true;
        return { tag: 'stream_start', xid, firstSegment };
      }
      case 'E':
        if (!this.inStream) fail('stream stop outside a stream');
        this.inStream = false;
        return { tag: 'stream_stop' };
      case 'c':
        return {
          tag: 'stream_commit',
          xid: r.u32('xid'),
          flags: r.u8('flags'),
          commitLsn: r.u64('commit lsn'),
          endLsn: r.u64('end lsn'),
          commitTime: r.u64('commit time'),
        };
      case 'A': {
        const xid = r.u32('xid');
        const subXid = r.u32('subxid');
        if (this.protocolVersion >= 4 && r.remaining >= 16) {
          const abortLsn = r.u64('abort lsn');
          r.u64('abort time');
          return { tag: 'stream_abort', xid, subXid, abortLsn };
        }
        return { tag: 'stream_abort', xid, subXid };
      }
      default:
        fail(`unknown message tag ${JSON.stringify(tag)}`, { tag: tag.charCodeAt(0) });
    }
  }
}
