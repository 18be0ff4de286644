// Lossless JSON: numbers keep the text the client sent, so a `_source` with
// 1234567890123456789 or 1e400 comes back byte for byte after filtering or merging.

/** A JSON number as its source text. */
export class JsonNumber {
  constructor(readonly raw: string) {}
  toJSON(): number {
    return Number(this.raw);
  }
}

/** A JSON fragment emitted verbatim by `stringifyLossless` (e.g. a stored `_source`). */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

export class JsonSyntaxError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): unknown {
    const v = this.value(0);
    this.space();
    if (this.at !== this.text.length) this.fail('unexpected trailing content');
    return v;
  }

  private fail(why: string): never {
    throw new JsonSyntaxError(`${why} at offset ${this.at}`);
  }

  private space(): void {
    SPACE.lastIndex = this.at;
    SPACE.exec(this.text);
    this.at = SPACE.lastIndex;
  }

  private token(re: RegExp): string | null {
    re.lastIndex = this.at;
    const m = re.exec(this.text);
    if (!m) return null;
    this.at = re.lastIndex;
    return m[0];
  }

  private value(depth: number): unknown {
    if (depth > 512) this.fail('nesting too deep');
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return v;
      }
    }
    const n = this.token(NUMBER);
    if (n === null) this.fail('unexpected character');
    return new JsonNumber(n);
  }

  private string(): string {
    const s = this.token(STRING);
    if (s === null) this.fail('bad string');
    return JSON.parse(s) as string;
  }

  private object(depth: number): Record<string, unknown> {
    this.at++;
    const out: Record<string, unknown> = {};
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      this.space();
      const key = this.string();
      this.space();
      if (this.text[this.at++] !== ':') this.fail('expected :');
      Object.defineProperty(out, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const c = this.text[this.at++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected , or }');
    }
  }

  private array(depth: number): unknown[] {
    this.at++;
    const out: unknown[] = [];
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      const c = this.text[this.at++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected , or ]');
    }
  }
}

/** Parses JSON keeping every number as a `JsonNumber`; throws `JsonSyntaxError`. */
export function parseLossless(text: string): unknown {
  return new Parser(text).parse();
}

/** Serialises values that may hold `JsonNumber`/`RawJson` without touching their text. */
export function stringifyLossless(value: unknown): string {
  if (value instanceof JsonNumber) return value.raw;
  if (value instanceof RawJson) return value.text;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : stringifyLossless(v))).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(k)}:${stringifyLossless(v)}`);
  }
  return `{${parts.join(',')}}`;
}

const UNSAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A number's value: integers beyond 2^53 as bigint, the rest as number. */
export function exactNumber(raw: string): number | bigint {
  if (/^-?\d+$/.test(raw)) {
    const big = BigInt(raw);
    if (big > UNSAFE || big < -UNSAFE) return big;
  }
  return Number(raw);
}

/** The plain JavaScript value of a lossless tree (big integers stay bigint). */
export function toPlain(value: unknown): unknown {
  if (value instanceof JsonNumber) return exactNumber(value.raw);
  if (value instanceof RawJson) return JSON.parse(value.text);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: toPlain(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}
