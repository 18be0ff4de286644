import { isFlussoError } from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PgOutputDecoder } from './decoder.js';
import { frames } from './frame-builder.fixture.js';

describe('pgoutput decoder', () => {
  it('decodes begin, commit, origin, type and message', () => {
    const d = new PgOutputDecoder(4);
    expect(d.decode(frames.begin())).toEqual({
      tag: 'begin',
      finalLsn: 0x16b374d848n,
      commitTime: 1n,
      xid: 77,
    });
    expect(d.decode(frames.commit())).toEqual({
      tag: 'commit',
      flags: 0,
      commitLsn: 0x10n,
      endLsn: 0x20n,
      commitTime: 2n,
    });
    expect(d.decode(frames.origin())).toEqual({ tag: 'origin', lsn: 9n, name: 'upstream' });
    expect(d.decode(frames.type())).toEqual({ tag: 'type', oid: 600, namespace: 'public', name: 'mood' });
    expect(d.decode(frames.message())).toMatchObject({
      tag: 'message',
      transactional: true,
      prefix: 'flusso',
      content: Buffer.from('abc'),
    });
  });

  it('decodes relations with key flags and types', () => {
    expect(new PgOutputDecoder(1).decode(frames.relation())).toEqual({
      tag: 'relation',
      oid: 16384,
      namespace: 'public',
      name: 'users',
      replicaIdentity: 'd',
      columns: [
        { isKey: true, name: 'id', typeOid: 20, typeModifier: -1 },
        { isKey: false, name: 'email', typeOid: 25, typeModifier: -1 },
      ],
    });
  });

  it('decodes insert, update with an old row and unchanged TOAST, delete and truncate', () => {
    const d = new PgOutputDecoder(1);
    expect(d.decode(frames.insert())).toEqual({
      tag: 'insert',
      oid: 16384,
      newTuple: [
        { kind: 'text', value: '42' },
        { kind: 'text', value: 'a@b.c' },
      ],
    });
    expect(d.decode(frames.updateWithOld())).toEqual({
      tag: 'update',
      oid: 16384,
      oldKind: 'O',
      oldTuple: [{ kind: 'text', value: '41' }, { kind: 'null' }],
      newTuple: [{ kind: 'text', value: '42' }, { kind: 'unchanged' }],
    });
    expect(d.decode(frames.delete())).toEqual({
      tag: 'delete',
      oid: 16384,
      oldKind: 'K',
      oldTuple: [{ kind: 'text', value: '42' }, { kind: 'null' }],
    });
    expect(d.decode(frames.truncate())).toEqual({ tag: 'truncate', options: 1, oids: [16384, 16390] });
  });

  it('steps over the values of columns the reader does not need, keeping nulls and unchanged TOAST', () => {
    const d = new PgOutputDecoder(1, (oid) => (oid === 16384 ? [true, false] : undefined));
    expect(d.decode(frames.insert())).toEqual({
      tag: 'insert',
      oid: 16384,
      newTuple: [{ kind: 'text', value: '42' }, { kind: 'skipped' }],
    });
    expect(d.decode(frames.updateWithOld())).toEqual({
      tag: 'update',
      oid: 16384,
      oldKind: 'O',
      oldTuple: [{ kind: 'text', value: '41' }, { kind: 'null' }],
      newTuple: [{ kind: 'text', value: '42' }, { kind: 'unchanged' }],
    });
    // A relation without a mask is read whole.
    expect(new PgOutputDecoder(1, () => undefined).decode(frames.insert())).toMatchObject({
      newTuple: [
        { kind: 'text', value: '42' },
        { kind: 'text', value: 'a@b.c' },
      ],
    });
  });

  it('reads the xid on data messages only inside a stream block', () => {
    const d = new PgOutputDecoder(2);
    expect(d.decode(frames.streamStart())).toEqual({ tag: 'stream_start', xid: 900, firstSegment: true });
    expect(d.decode(frames.streamInsert())).toEqual({
      tag: 'insert',
      xid: 900,
      oid: 16384,
      newTuple: [{ kind: 'text', value: '7' }],
    });
    expect(d.decode(frames.streamStop())).toEqual({ tag: 'stream_stop' });
    expect(d.decode(frames.streamCommit())).toEqual({
      tag: 'stream_commit',
      xid: 900,
      flags: 0,
      commitLsn: 0x30n,
      endLsn: 0x40n,
      commitTime: 3n,
    });
    expect(new PgOutputDecoder(4).decode(frames.streamAbortV4())).toEqual({
      tag: 'stream_abort',
      xid: 900,
      subXid: 901,
      abortLsn: 0x50n,
    });
  });

  it('rejects unknown tags, truncation and trailing bytes with decode_failed', () => {
    const d = new PgOutputDecoder(4);
    expect(() => d.decode(Buffer.from('Z'))).toThrowError(expect.objectContaining({ code: 'decode_failed' }));
    expect(() => d.decode(frames.insert().subarray(0, 12))).toThrow(/truncated frame/);
    expect(() => d.decode(Buffer.concat([frames.commit(), Buffer.from([0])]))).toThrow(/trailing bytes/);
    expect(() => d.decode(Buffer.alloc(0))).toThrowError(expect.objectContaining({ code: 'decode_failed' }));
  });

  const seeds = Object.values(frames).map((f) => f());
  const onlyTypedErrors = (decode: () => unknown) => {
    try {
      decode();
    } catch (error) {
      if (!isFlussoError(error, 'decode_failed')) throw error;
    }
  };

  it('fuzz: random bytes only ever produce a message or decode_failed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.integer({ min: 1, max: 4 }), (bytes, version) => {
        onlyTypedErrors(() => new PgOutputDecoder(version).decode(Buffer.from(bytes)));
      }),
      { numRuns: 5000 },
    );
  });

  it('fuzz: mutated valid frames only ever produce a message or decode_failed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (seed, edits, cut) => {
          const frame = Buffer.from(seed);
          for (const [pos, value] of edits) frame[pos % frame.length] = value;
          const d = new PgOutputDecoder(2);
          onlyTypedErrors(() => d.decode(frame.subarray(0, frame.length - (cut % 3))));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
