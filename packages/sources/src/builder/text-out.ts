// The shaped document's bytes, assembled in one reused buffer: the walk in
// shape-text.ts copies the spans it keeps and writes the few it replaces here,
// so a document costs one string (its final text) instead of a string per cut.

const START = 64 * 1024;
const HEX = '0123456789abcdef';

export class TextOut {
  private buf = new Uint8Array(START);
  private w = 0;
  private ascii = true;

  reset(): void {
    this.w = 0;
    this.ascii = true;
  }

  /** Where the output is, to rewind to (a field's old-path retry). */
  mark(): number {
    return this.ascii ? this.w : -this.w - 1;
  }

  rewind(mark: number): void {
    this.ascii = mark >= 0;
    this.w = mark >= 0 ? mark : -mark - 1;
  }

  /**
   * Appends text[from, to) as UTF-8. A lone surrogate (only ever inside a JSON string) is
   * written as its `\udxxx` escape, as JSON.stringify writes it.
   */
  append(text: string, from: number, to: number): void {
    if (this.buf.length - this.w < (to - from) * 6) this.grow((to - from) * 6);
    const buf = this.buf;
    let w = this.w;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        buf[w++] = c;
        continue;
      }
      this.ascii = false;
      if (c < 0x800) {
        buf[w++] = 0xc0 | (c >> 6);
        buf[w++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[w++] = 0xe0 | (c >> 12);
        buf[w++] = 0x80 | ((c >> 6) & 0x3f);
        buf[w++] = 0x80 | (c & 0x3f);
      } else {
        const low = text.charCodeAt(i + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
          buf[w++] = 0x5c; // \
          buf[w++] = 0x75; // u
          for (let shift = 12; shift >= 0; shift -= 4) buf[w++] = HEX.charCodeAt((c >> shift) & 0xf);
          continue;
        }
        const p = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        buf[w++] = 0xf0 | (p >> 18);
        buf[w++] = 0x80 | ((p >> 12) & 0x3f);
        buf[w++] = 0x80 | ((p >> 6) & 0x3f);
        buf[w++] = 0x80 | (p & 0x3f);
        i += 1;
      }
    }
    this.w = w;
  }

  /** The text written since reset. */
  text(): string {
    return Buffer.from(this.buf.buffer, 0, this.w).toString(this.ascii ? 'latin1' : 'utf8');
  }

  private grow(more: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.w + more));
    next.set(this.buf.subarray(0, this.w));
    this.buf = next;
  }
}
