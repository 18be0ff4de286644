// Kafka's primitive types (big-endian ints, strings, bytes, arrays, zigzag
// varints) over Buffers. The Reader never reads past its end: it throws
// ProtocolError, so a malformed frame cannot take the process down.
import { ProtocolError } from '../errors.js';

export class Reader {
  #offset = 0;
  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.#offset;
  }

  #take(n: number): number {
    if (n < 0 || this.#offset + n > this.buffer.length) {
      throw new ProtocolError(`read of ${n} bytes at ${this.#offset} past end ${this.buffer.length}`);
    }
    const at = this.#offset;
    this.#offset += n;
    return at;
  }

  int8(): number {
    return this.buffer.readInt8(this.#take(1));
  }
  int16(): number {
    return this.buffer.readInt16BE(this.#take(2));
  }
  int32(): number {
    return this.buffer.readInt32BE(this.#take(4));
  }
  uint32(): number {
    return this.buffer.readUInt32BE(this.#take(4));
  }
  int64(): bigint {
    return this.buffer.readBigInt64BE(this.#take(8));
  }
  /** An int64 that must fit a JS number (offsets, timestamps). */
  int64n(): number {
    const v = this.int64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProtocolError(`int64 ${v} out of range`);
    }
    return Number(v);
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }
  raw(n: number): Buffer {
    const at = this.#take(n);
    return this.buffer.subarray(at, at + n);
  }
  rest(): Buffer {
    return this.raw(this.remaining);
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad string length ${len}`);
    return this.raw(len).toString('utf8');
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad bytes length ${len}`);
    return this.raw(len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }
  /** Array of int32 length; null (-1) comes back as null. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const len = this.int32();
    if (len === -1) return null;
    // Each element takes at least one byte: a huge count in a short frame is garbage.
    if (len < 0 || len > this.remaining) throw new ProtocolError(`bad array length ${len}`);
    const out: T[] = [];
    for (let i = 0; i < len; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  varint(): number {
    const v = this.#unsignedVarint(5);
    return Number((v >> 1n) ^ -(v & 1n));
  }
  varlong(): bigint {
    const v = this.#unsignedVarint(10);
    return (v >> 1n) ^ -(v & 1n);
  }
  #unsignedVarint(maxBytes: number): bigint {
    let result = 0n;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.buffer.readUInt8(this.#take(1));
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return result;
    }
    throw new ProtocolError('varint too long');
  }
  varintBytes(): Buffer | null {
    const len = this.varint();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad varint bytes length ${len}`);
    return this.raw(len);
  }
  varintString(): string {
    const b = this.varintBytes();
    if (b === null) throw new ProtocolError('null header key');
    return b.toString('utf8');
  }
}

export class Writer {
  readonly #chunks: Buffer[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #push(b: Buffer): this {
    this.#chunks.push(b);
    this.#size += b.length;
    return this;
  }
  #fixed(n: number, write: (b: Buffer) => void): this {
    const b = Buffer.allocUnsafe(n);
    write(b);
    return this.#push(b);
  }

  int8(v: number): this {
    return this.#fixed(1, (b) => b.writeInt8(v));
  }
  int16(v: number): this {
    return this.#fixed(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.#fixed(4, (b) => b.writeInt32BE(v));
  }
  uint32(v: number): this {
    return this.#fixed(4, (b) => b.writeUInt32BE(v));
  }
  int64(v: bigint | number): this {
    return this.#fixed(8, (b) => b.writeBigInt64BE(BigInt(v)));
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  raw(b: Buffer): this {
    return this.#push(b);
  }
  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }
  bytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  array<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  varint(v: number): this {
    return this.#unsignedVarint((BigInt(v) << 1n) ^ (BigInt(v) >> 31n), 32);
  }
  varlong(v: bigint): this {
    return this.#unsignedVarint((v << 1n) ^ (v >> 63n), 64);
  }
  #unsignedVarint(zigzag: bigint, bits: number): this {
    let v = BigInt.asUintN(bits, zigzag);
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    return this.#push(Buffer.from(out));
  }
  varintBytes(b: Buffer | null): this {
    if (b === null) return this.varint(-1);
    return this.varint(b.length).raw(b);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#size);
  }
}
