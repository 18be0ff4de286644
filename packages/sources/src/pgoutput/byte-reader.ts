// Bounds-checked big-endian reads over one protocol frame. Any read past the end
// is a typed decode error, so truncated or hostile input can never throw anything
// else or loop.
import { FlussoError } from '@flusso/core';

export class ByteReader {
  private offset = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.offset + n > this.buf.length) {
      throw new FlussoError(
        'decode_failed',
        `pgoutput: truncated frame reading ${what} at byte ${this.offset}`,
        {
          context: { offset: this.offset, length: this.buf.length },
        },
      );
    }
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.buf.readUInt8(this.offset++);
  }

  i16(what = 'int16'): number {
    this.need(2, what);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  i32(what = 'int32'): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  u64(what = 'int64'): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** Steps over `n` bytes (a value nobody reads). */
  skip(n: number, what = 'bytes'): void {
    this.need(n, what);
    this.offset += n;
  }

  /** `n` bytes as UTF-8 text, without a Buffer view per value (a tuple cell's path). */
  text(n: number, what = 'text'): string {
    this.need(n, what);
    const v = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** A NUL-terminated string. */
  cstring(what = 'string'): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) this.need(this.buf.length - this.offset + 1, what);
    const v = this.buf.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return v;
  }

  char(what = 'tag'): string {
    return String.fromCharCode(this.u8(what));
  }
}
