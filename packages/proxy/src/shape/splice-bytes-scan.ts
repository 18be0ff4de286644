// The reply splicer's validating scan over UTF-8 bytes: strings, numbers and
// literals read as the lossless reader reads them (`json/scan.ts`), containers
// validated with duplicate keys refused and nesting capped, nothing allocated
// but what the scratch stacks hold. Anything the splicer cannot be certain of
// (invalid JSON, an escaped key, a key the shaper rewrites under, an object
// too large for a linear duplicate check) throws `FALLBACK`.

/** Thrown (never escapes the splicer) when the splicer is not certain. */
export const FALLBACK = new Error('reply splice: not certain, take the lossless path');

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;

// What a byte is inside a string literal.
const ORDINARY = 0;
const END_QUOTE = 1;
const ESCAPE = 2;
const CONTROL = 3;
const HIGH = 4;
const STRING_BYTE = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_BYTE[c] = CONTROL;
for (let c = 0x80; c < 0x100; c++) STRING_BYTE[c] = HIGH;
STRING_BYTE[0x22] = END_QUOTE;
STRING_BYTE[0x5c] = ESCAPE;

/** Members of one object compared key by key for duplicates at most; past it the lossless path. */
export const MAX_MEMBERS = 256;

// `hits` and `failures`: keys the lossless shaper rewrites something under.
/** The bytes of an ASCII word, as a plain `Uint8Array` (every word compared is one: one element kind). */
export function ascii(word: string): Uint8Array {
  return Uint8Array.from(word, (c) => c.charCodeAt(0));
}

const HITS = ascii('hits');
const FAILURES = ascii('failures');

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** JSON whitespace: space, tab, line feed, carriage return. */
export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Whether the bytes `[start, end)` of `b` are `word`. */
export function bytesAre(b: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (b[start + k] !== word[k]) return false;
  return true;
}

/**
 * A key's length, last byte and middle byte in one number: keys with different
 * signatures differ, so the duplicate check compares bytes only when they match
 * (a document of n members is n²/2 comparisons; keys such as `field1`, `field2`
 * share a length and a prefix, and compared byte by byte that was most of the splice).
 */
export function keySignature(b: Uint8Array, ks: number, ke: number): number {
  const n = ke - ks;
  if (n <= 0) return 0;
  return ((n & 0xffff) << 16) | ((b[ke - 1] as number) << 8) | (b[ks + (n >> 1)] as number);
}

/** Whether two byte ranges of `b` hold the same bytes. */
export function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  const n = e1 - s1;
  if (e2 - s2 !== n) return false;
  for (let k = 0; k < n; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

/**
 * The scanner over one reply body. `escaped` and `nonAscii` describe the last
 * string read; `anyNonAscii` whether any string had a byte past 0x7f (the body
 * is then checked to be valid UTF-8 before the splice is used).
 */
export class ByteScan {
  readonly b: Uint8Array;
  readonly length: number;
  escaped = false;
  nonAscii = false;
  anyNonAscii = false;
  /** Keys of the open objects of `checkedEnd` (start, end, signature triples), and each frame's first key. */
  #keys: Int32Array = scratchKeys;
  #keyTop = 0;
  #frames: Int32Array = scratchFrames;

  constructor(b: Uint8Array) {
    this.b = b;
    this.length = b.length;
  }

  skipWs(i: number): number {
    const b = this.b;
    const n = this.length;
    while (i < n) {
      const c = b[i] as number;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i += 1;
    }
    return i;
  }

  /** The byte at `i`, or -1 past the end. */
  at(i: number): number {
    return i < this.length ? (this.b[i] as number) : -1;
  }

  /** The index of the closing quote of the string literal at `start` (validated). */
  stringEnd(start: number): number {
    const b = this.b;
    const n = this.length;
    let i = start + 1;
    let escaped = false;
    let nonAscii = false;
    for (;;) {
      // Ordinary bytes in a run: one table read each.
      let kind = ORDINARY;
      while (i < n) {
        kind = STRING_BYTE[b[i] as number] as number;
        if (kind !== ORDINARY) break;
        i += 1;
      }
      if (i >= n) throw FALLBACK;
      if (kind === END_QUOTE) break;
      if (kind === HIGH) {
        nonAscii = true;
        i += 1;
        continue;
      }
      if (kind === CONTROL) throw FALLBACK;
      // A backslash: `\uXXXX` or one of `"\/bfnrt`.
      escaped = true;
      const e = i + 1 < n ? (b[i + 1] as number) : -1;
      if (e === 0x75) {
        if (i + 5 >= n) throw FALLBACK;
        if (
          !isHex(b[i + 2] as number) ||
          !isHex(b[i + 3] as number) ||
          !isHex(b[i + 4] as number) ||
          !isHex(b[i + 5] as number)
        )
          throw FALLBACK;
        i += 6;
        continue;
      }
      if (
        e !== QUOTE &&
        e !== BACKSLASH &&
        e !== 0x2f &&
        e !== 0x62 &&
        e !== 0x66 &&
        e !== 0x6e &&
        e !== 0x72 &&
        e !== 0x74
      )
        throw FALLBACK;
      i += 2;
    }
    this.escaped = escaped;
    this.nonAscii = nonAscii;
    if (nonAscii) this.anyNonAscii = true;
    return i;
  }

  /** Past the key at `i`: a string without escapes (else `FALLBACK`); its content is `[i + 1, end - 1)`. */
  keyEnd(i: number): number {
    if (this.at(i) !== QUOTE) throw FALLBACK;
    const close = this.stringEnd(i);
    if (this.escaped) throw FALLBACK;
    return close + 1;
  }

  /** Past `:` and whitespace after the key ending at `i`. */
  afterColon(i: number): number {
    const colon = this.skipWs(i);
    if (this.at(colon) !== COLON) throw FALLBACK;
    return this.skipWs(colon + 1);
  }

  /**
   * After an item or member ending at `i`: the next one's start (past `,` and
   * whitespace), or `~end` (negative) when `close` ends the container, `end` past it.
   */
  separator(i: number, close: number): number {
    const at = this.skipWs(i);
    const c = this.at(at);
    if (c === COMMA) return this.skipWs(at + 1);
    if (c === close) return ~(at + 1);
    throw FALLBACK;
  }

  #digits(i: number): number {
    const b = this.b;
    const n = this.length;
    while (i < n) {
      const c = b[i] as number;
      if (c < 0x30 || c > 0x39) return i;
      i += 1;
    }
    return i;
  }

  /** The end of the number at `start` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`). */
  #numberEnd(start: number): number {
    let i = this.at(start) === 0x2d ? start + 1 : start;
    const first = this.at(i);
    if (first === 0x30) i += 1;
    else if (first >= 0x31 && first <= 0x39) i = this.#digits(i);
    else throw FALLBACK;
    if (this.at(i) === 0x2e) {
      const end = this.#digits(i + 1);
      if (end === i + 1) throw FALLBACK;
      i = end;
    }
    const e = this.at(i);
    if (e === 0x65 || e === 0x45) {
      i += 1;
      const sign = this.at(i);
      if (sign === 0x2b || sign === 0x2d) i += 1;
      const end = this.#digits(i);
      if (end === i) throw FALLBACK;
      i = end;
    }
    return i;
  }

  #word(i: number, word: Uint8Array): number {
    if (i + word.length > this.length || !bytesAre(this.b, i, i + word.length, word)) throw FALLBACK;
    return i + word.length;
  }

  /** The end of the scalar at `i`, validated. */
  skipScalar(i: number): number {
    const c = this.at(i);
    if (c === QUOTE) return this.stringEnd(i) + 1;
    if (c === 0x74) return this.#word(i, TRUE);
    if (c === 0x66) return this.#word(i, FALSE);
    if (c === 0x6e) return this.#word(i, NULL);
    return this.#numberEnd(i);
  }

  /**
   * The end of the value at `start`, validated. `checked`: as the lossless reader
   * reads it eagerly (duplicate keys refused), holding no key the shaper rewrites
   * under (`hits`, `failures`) and no escaped key; otherwise only validated, as the
   * reader scans what sits inside a `_source`. `nesting` counts the value itself.
   */
  valueEnd(start: number, nesting: number, checked: boolean): number {
    const c0 = this.at(start);
    if (c0 !== OPEN_BRACE && c0 !== OPEN_BRACKET) return this.skipScalar(start);
    // frames: (first key index << 1) | isObject; an array's frame has no keys.
    // Every frame closed on a normal end releases its keys: the stack is as it was.
    let depth = 0;
    let i = start;
    for (;;) {
      const c = this.at(i);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth >= nesting) throw FALLBACK;
        const object = c === OPEN_BRACE;
        i = this.skipWs(i + 1);
        if (this.at(i) !== (object ? CLOSE_BRACE : CLOSE_BRACKET)) {
          const first = this.#keyTop;
          this.#pushFrame(depth, first, object);
          depth += 1;
          if (object) i = this.#member(i, checked, first);
          continue;
        }
        i += 1;
      } else {
        i = this.skipScalar(i);
      }
      // A value ended: read `,` or close every container it completes.
      for (;;) {
        if (depth === 0) return i;
        const frame = this.#frames[depth - 1] as number;
        const object = (frame & 1) === 1;
        const next = this.separator(i, object ? CLOSE_BRACE : CLOSE_BRACKET);
        if (next >= 0) {
          i = object ? this.#member(next, checked, frame >> 1) : next;
          break;
        }
        depth -= 1;
        if (object) this.#keyTop = frame >> 1;
        i = ~next;
      }
    }
  }

  #pushFrame(depth: number, first: number, object: boolean): void {
    if (depth >= this.#frames.length) {
      const grown = new Int32Array(this.#frames.length * 2);
      grown.set(this.#frames);
      this.#frames = grown;
      scratchFrames = grown;
    }
    this.#frames[depth] = (first << 1) | (object ? 1 : 0);
  }

  /**
   * A member's key at `i` (when `checked`, recorded among its object's keys from
   * `first` on, and refused when repeated), then past the colon.
   */
  #member(i: number, checked: boolean, first: number): number {
    if (!checked) {
      if (this.at(i) !== QUOTE) throw FALLBACK;
      return this.afterColon(this.stringEnd(i) + 1);
    }
    const end = this.keyEnd(i);
    const ks = i + 1;
    const ke = end - 1;
    if (bytesAre(this.b, ks, ke, HITS) || bytesAre(this.b, ks, ke, FAILURES)) throw FALLBACK;
    this.addKey(first, ks, ke);
    return this.afterColon(end);
  }

  /** Where the key stack stands: keys added after it are forgotten by `release`. */
  get keyMark(): number {
    return this.#keyTop;
  }

  release(mark: number): void {
    this.#keyTop = mark;
  }

  /** Records the key `[ks, ke)` of an object whose keys start at `first`; a repeated one is `FALLBACK`. */
  addKey(first: number, ks: number, ke: number): void {
    const keys = this.#keys;
    const top = this.#keyTop;
    if (top - first >= MAX_MEMBERS) throw FALLBACK;
    const b = this.b;
    const sig = keySignature(b, ks, ke);
    for (let k = first; k < top; k++) {
      if (keys[3 * k + 2] === sig && sameBytes(b, keys[3 * k] as number, keys[3 * k + 1] as number, ks, ke))
        throw FALLBACK;
    }
    if (3 * top + 3 > keys.length) {
      const grown = new Int32Array(keys.length * 2);
      grown.set(keys);
      this.#keys = grown;
      scratchKeys = grown;
    }
    this.#keys[3 * top] = ks;
    this.#keys[3 * top + 1] = ke;
    this.#keys[3 * top + 2] = sig;
    this.#keyTop = top + 1;
  }
}

const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');

// Shared by every scan (a splice runs to its end synchronously): grown when needed, never per reply.
let scratchKeys = new Int32Array(768);
let scratchFrames = new Int32Array(64);
