// Builds pgoutput frames byte by byte, for decoder tests and fuzz seeds.
export class FrameBuilder {
  private parts: Buffer[] = [];

  char(c: string): this {
    this.parts.push(Buffer.from(c, 'latin1'));
    return this;
  }
  u8(v: number): this {
    this.parts.push(Buffer.from([v]));
    return this;
  }
  i16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.parts.push(b);
    return this;
  }
  i32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  u64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(v);
    this.parts.push(b);
    return this;
  }
  cstring(s: string): this {
    this.parts.push(Buffer.from(`${s}\0`, 'utf8'));
    return this;
  }
  text(s: string): this {
    const v = Buffer.from(s, 'utf8');
    return this.char('t').i32(v.length).raw(v);
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export const frames = {
  begin: () => new FrameBuilder().char('B').u64(0x16b374d848n).u64(1n).i32(77).build(),
  commit: () => new FrameBuilder().char('C').u8(0).u64(0x10n).u64(0x20n).u64(2n).build(),
  relation: () =>
    new FrameBuilder()
      .char('R')
      .i32(16384)
      .cstring('public')
      .cstring('users')
      .char('d')
      .i16(2)
      .u8(1)
      .cstring('id')
      .i32(20)
      .i32(-1)
      .u8(0)
      .cstring('email')
      .i32(25)
      .i32(-1)
      .build(),
  insert: () => new FrameBuilder().char('I').i32(16384).char('N').i16(2).text('42').text('a@b.c').build(),
  updateWithOld: () =>
    new FrameBuilder()
      .char('U')
      .i32(16384)
      .char('O')
      .i16(2)
      .text('41')
      .char('n')
      .char('N')
      .i16(2)
      .text('42')
      .char('u')
      .build(),
  delete: () => new FrameBuilder().char('D').i32(16384).char('K').i16(2).text('42').char('n').build(),
  truncate: () => new FrameBuilder().char('T').i32(2).u8(1).i32(16384).i32(16390).build(),
  message: () =>
    new FrameBuilder().char('M').u8(1).u64(5n).cstring('flusso').i32(3).raw(Buffer.from('abc')).build(),
  type: () => new FrameBuilder().char('Y').i32(600).cstring('public').cstring('mood').build(),
  origin: () => new FrameBuilder().char('O').u64(9n).cstring('upstream').build(),
  streamStart: () => new FrameBuilder().char('S').i32(900).u8(1).build(),
  streamInsert: () => new FrameBuilder().char('I').i32(900).i32(16384).char('N').i16(1).text('7').build(),
  streamStop: () => new FrameBuilder().char('E').build(),
  streamCommit: () => new FrameBuilder().char('c').i32(900).u8(0).u64(0x30n).u64(0x40n).u64(3n).build(),
  streamAbortV4: () => new FrameBuilder().char('A').i32(900).i32(901).u64(0x50n).u64(4n).build(),
};
