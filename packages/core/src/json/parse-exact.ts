// A JSON reader that never routes a number through a double it cannot print
// back: each number keeps its raw text unless a double reproduces it exactly.
import { FlussoError } from '../errors/flusso-error.js';
import { type ExactJson, type ExactObject, exactNumber, isJsonNumberText, RawNumber } from './exact-json.js';

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER_AT = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
const STRING_AT = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new FlussoError('invalid_value', `invalid JSON at offset ${this.pos}: ${what}`, {
      context: { offset: this.pos },
    });
  }

  skip(): void {
    while (WS.has(this.text.charCodeAt(this.pos))) this.pos += 1;
  }

  match(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  literal(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
  }

  word(c: string): boolean | null {
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
    this.literal(word);
    return c === 'n' ? null : c === 't';
  }

  value(): ExactJson {
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't' || c === 'f' || c === 'n') return this.word(c);
    const n = this.match(NUMBER_AT);
    if (n === null) this.fail('expected a value');
    return exactNumber(n);
  }

  string(): string {
    const s = this.match(STRING_AT);
    if (s === null) this.fail('bad string');
    return s.includes('\\') ? (JSON.parse(s) as string) : s.slice(1, -1);
  }

  array(): ExactJson[] {
    this.pos += 1;
    const out: ExactJson[] = [];
    this.skip();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skip();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected , or ]');
    }
  }

  object(): ExactObject {
    this.pos += 1;
    const out: Record<string, ExactJson> = {};
    this.skip();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      this.skip();
      if (this.text[this.pos] !== '"') this.fail('expected a key');
      const key = this.string();
      this.skip();
      if (this.text[this.pos++] !== ':') this.fail('expected :');
      // defineProperty: a "__proto__" key is data, never a prototype change.
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skip();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }
}

// Fast path. The text is scanned once without allocating: every string is skipped
// whole, every number token outside strings (`-?[0-9][-+.eE0-9]*`) is looked at;
// `true`, `false`, `null`, punctuation and whitespace are passed over.

/** Whether the code unit can continue a number token (`[-+.eE0-9]`). */
function numberPart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** The end of the string that opens at `at` (after its closing quote), or -1 when it never closes. */
function stringEnd(text: string, at: number): number {
  for (let q = text.indexOf('"', at + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return q + 1;
  }
  return -1;
}

/**
 * Whether text[from, to) is a number a double prints back identically without looking:
 * up to 15 digits, no fraction or exponent, not -0 and no leading zero.
 */
function shortInt(text: string, from: number, to: number): boolean {
  let i = text.charCodeAt(from) === 0x2d ? from + 1 : from;
  const digits = to - i;
  if (digits < 1 || digits > 15) return false;
  if (text.charCodeAt(i) === 0x30) return digits === 1 && i === from;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The text with every number a double cannot print back replaced by a placeholder string
 * (NUL and its index, as JSON escapes), and those numbers' texts; null when there is none.
 */
function markRawNumbers(text: string): [string, string[]] | null {
  let raws: string[] | null = null;
  let out = '';
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end === -1) break; // unterminated: JSON.parse refuses it
      i = end;
      continue;
    }
    const digitAt = c === 0x2d ? i + 1 : i;
    const d = text.charCodeAt(digitAt);
    if (!(d >= 0x30 && d <= 0x39)) {
      i += 1;
      continue;
    }
    let end = digitAt + 1;
    while (end < n && numberPart(text.charCodeAt(end))) end += 1;
    if (!shortInt(text, i, end)) {
      const token = text.slice(i, end);
      if (String(Number(token)) !== token) {
        if (!isJsonNumberText(token)) throw new SyntaxError('not a JSON number');
        raws ??= [];
        out += `${text.slice(from, i)}"\\u0000${raws.length}"`;
        raws.push(token);
        from = end;
      }
    }
    i = end;
  }
  return raws === null ? null : [out + text.slice(from), raws];
}

/** `value` with every placeholder string (NUL and an index) replaced by its RawNumber, in place. */
function revive(value: unknown, raws: readonly string[]): unknown {
  if (typeof value === 'string')
    return value.charCodeAt(0) === 0 ? new RawNumber(raws[Number(value.slice(1))] ?? '') : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' || typeof v === 'string') value[i] = revive(v, raws);
    }
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const v = object[key];
    if (typeof v !== 'object' && typeof v !== 'string') continue;
    const revived = revive(v, raws);
    if (revived === v) continue;
    // defineProperty: a "__proto__" key is data, never a prototype change.
    if (key === '__proto__')
      Object.defineProperty(object, key, {
        value: revived,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else object[key] = revived;
  }
  return object;
}

/**
 * The engine's JSON.parse where it gives the same value: numbers a double cannot print
 * back are replaced by placeholders first and turned into RawNumbers after. A
 * placeholder is unambiguous only if no string of the text can itself decode to one,
 * i.e. the text holds no \u0000 escape; then (or on malformed text) undefined: the exact
 * reader decides (and names the offset of what is wrong).
 */
function fastParse(text: string): ExactJson | undefined {
  if (text.includes('\\u0000')) return undefined;
  try {
    const marked = markRawNumbers(text);
    if (marked === null) return JSON.parse(text) as ExactJson;
    return revive(JSON.parse(marked[0]), marked[1]) as ExactJson;
  } catch {
    return undefined;
  }
}

/** Parses JSON text; numbers a double cannot reproduce stay RawNumber. */
export function parseExactJson(text: string): ExactJson {
  const fast = fastParse(text);
  if (fast !== undefined) return fast;
  const reader = new Reader(text);
  const value = reader.value();
  reader.skip();
  if (reader.pos !== text.length) reader.fail('trailing characters');
  return value;
}
