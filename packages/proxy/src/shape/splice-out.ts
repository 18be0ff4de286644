// The reply splicer's output, appended piece by piece in order: ranges of the
// reply's text, or literal strings. Rendered once at the end, as the reply's own
// bytes copied range by range when the reply is ASCII (offsets in its text are
// then offsets in its bytes), else as text. Built with `+=`, a reply cost a
// cons string per piece, then their flattening and a UTF-8 encoding. One
// instance serves reply after reply (`start`): its arrays keep their room.
import { Buffer, isAscii } from 'node:buffer';

/** A range's start, or a literal as `-1 - index` (ranges start at 0 or later). */
const LITERAL = -1;

export class SpliceOut {
  #text = '';
  // Pairs: start and end of a range, or `LITERAL - k` and 0 for literal k.
  readonly #at: number[] = [];
  readonly #literals: string[] = [];
  #pieces = 0;
  #literalCount = 0;

  /** Output for a new reply, `text`. */
  start(text: string): void {
    this.#text = text;
    this.clear();
  }

  /** Drop everything appended (the arrays keep their room). */
  clear(): void {
    this.#pieces = 0;
    this.#literalCount = 0;
  }

  /** `text.slice(start, end)`; joins the range before it when they touch. */
  range(start: number, end: number): void {
    const last = this.#pieces - 1;
    if (last >= 0 && this.#at[last * 2 + 1] === start && (this.#at[last * 2] as number) >= 0) {
      this.#at[last * 2 + 1] = end;
      return;
    }
    this.#push(start, end);
  }

  /** A one-character literal (`{`, `,`, `:`...): the text's own character when it is next there. */
  char(c: string): void {
    const last = this.#pieces - 1;
    const end = last >= 0 && (this.#at[last * 2] as number) >= 0 ? (this.#at[last * 2 + 1] as number) : -1;
    if (end >= 0 && this.#text.charCodeAt(end) === c.charCodeAt(0)) this.#at[last * 2 + 1] = end + 1;
    else this.literal(c);
  }

  literal(s: string): void {
    const k = this.#literalCount;
    this.#literals[k] = s;
    this.#literalCount = k + 1;
    this.#push(LITERAL - k, 0);
  }

  #push(a: number, b: number): void {
    const o = this.#pieces * 2;
    this.#at[o] = a;
    this.#at[o + 1] = b;
    this.#pieces += 1;
  }

  text(): string {
    let out = '';
    for (let p = 0; p < this.#pieces; p++) {
      const a = this.#at[p * 2] as number;
      out += a >= 0 ? this.#text.slice(a, this.#at[p * 2 + 1]) : (this.#literals[LITERAL - a] as string);
    }
    return out;
  }

  /** The UTF-8 bytes of `text()`; `source` is the reply's bytes the text was decoded from. */
  bytes(source: Uint8Array): Uint8Array {
    if (source.length !== this.#text.length || !isAscii(source)) return Buffer.from(this.text(), 'utf8');
    let size = 0;
    for (let p = 0; p < this.#pieces; p++) {
      const a = this.#at[p * 2] as number;
      size +=
        a >= 0 ? (this.#at[p * 2 + 1] as number) - a : utf8Length(this.#literals[LITERAL - a] as string);
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    // Byte loops, not `copy`/`write`: most pieces are a few bytes, and each of those is a native call.
    for (let p = 0; p < this.#pieces; p++) {
      const a = this.#at[p * 2] as number;
      if (a >= 0) {
        const end = this.#at[p * 2 + 1] as number;
        for (let i = a; i < end; i++) out[at++] = source[i] as number;
      } else {
        at = writeLiteral(out, at, this.#literals[LITERAL - a] as string);
      }
    }
    return out;
  }
}

/** The UTF-8 length of a literal: its length when it is ASCII. */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Writes `s` as UTF-8 at `at`; returns the offset past it. */
function writeLiteral(out: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return at + out.write(s, at, 'utf8');
    out[at + i] = c;
  }
  return at + s.length;
}
