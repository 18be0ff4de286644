// The shaped document's bytes, assembled in one reused buffer: the walk in
// shape-text.ts copies the spans it keeps and writes the few it replaces here,
// so a document costs one string (its final text) instead of a string per cut.
// An all-ASCII source (the usual document) is encoded once, natively, at the far
// end of the same buffer, and its kept spans are moved with copyWithin (no view
// allocated per span); otherwise they are encoded code unit by code unit.

const START = 64 * 1024;
const HEX = '0123456789abcdef';

export class TextOut {
  private buf = Buffer.allocUnsafe(START);
  private w = 0;
  private ascii = true;
  private source = '';
  /** Where the source's bytes start, when `mirrored`; the output never reaches it. */
  private base = 0;
  private mirrored = false;

  /** Starts a document shaped from `source`. */
  reset(source: string): void {
    this.w = 0;
    this.ascii = true;
    this.source = source;
    // Room for the source (3 bytes a code unit at most) and for at least as much output.
    const room = source.length * 3;
    if (this.buf.length < 2 * room + START) this.buf = Buffer.allocUnsafe(2 * room + START);
    this.base = this.buf.length - room;
    // All ASCII exactly when one byte was written per code unit.
    this.mirrored = this.buf.write(source, this.base, room) === source.length;
  }

  /** Whether the source is all ASCII (known from reset; false once its bytes are dropped). */
  asciiSource(): boolean {
    return this.mirrored;
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
    if (this.mirrored && text === this.source && this.w + (to - from) <= this.base) {
      this.buf.copyWithin(this.w, this.base + from, this.base + to);
      this.w += to - from;
      return;
    }
    const most = this.w + (to - from) * 6;
    if (this.mirrored && most > this.base) this.mirrored = false; // spans come from `text` from now on
    if (most > this.buf.length) this.grow(most);
    this.encode(text, from, to);
  }

  /** The text written since reset. */
  text(): string {
    const text = this.buf.toString(this.ascii ? 'latin1' : 'utf8', 0, this.w);
    this.source = '';
    return text;
  }

  private encode(text: string, from: number, to: number): void {
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

  /** A bigger buffer holding the output so far (the source's bytes are not kept). */
  private grow(atLeast: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, atLeast));
    this.buf.copy(next, 0, 0, this.w);
    this.buf = next;
    this.mirrored = false;
  }
}
