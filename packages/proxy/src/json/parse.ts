// A strict, iterative JSON reader into the lossless tree: no recursion (a
// 100 000-deep body cannot overflow the stack), a nesting cap, duplicate keys
// refused. Containers deeper than `eagerDepth` are only validated while reading
// and become lazy nodes, read on first touch: a document the proxy passes along
// costs a scan, not a tree. Errors are `malformed_request` with offsets only.
import type { JArray, JMember, JNode, JObject, JString, Span } from './node.js';
import { fail, readScalar, readString, scalarLength, skipContainer, skipWs } from './scan.js';

/** Nesting beyond this is refused by default (OpenSearch's own parser stops at 1000). */
const DEFAULT_MAX_NESTING = 1000;

export interface ParseOptions {
  readonly maxNesting?: number;
  /** Containers nested deeper than this are read lazily (default: none are). */
  readonly eagerDepth?: number;
  /** The containers inside an object held by this key are read lazily (e.g. `_source` in replies). */
  readonly lazyUnder?: string;
}

/** Parse `text` as one JSON value; throws `malformed_request` (offsets only) on anything else. */
export function parseLossless(text: string, options: number | ParseOptions = {}): JNode {
  const opts = typeof options === 'number' ? { maxNesting: options } : options;
  return new Reader(text, {
    maxNesting: opts.maxNesting ?? DEFAULT_MAX_NESTING,
    eagerDepth: opts.eagerDepth ?? Number.POSITIVE_INFINITY,
    ...(opts.lazyUnder === undefined ? {} : { lazyUnder: opts.lazyUnder }),
  }).read();
}

/** A container read on first touch of its members or items (then in full). */
class Lazy {
  readonly span: Span;
  readonly #nesting: number;
  #node: JObject | JArray | undefined;

  constructor(span: Span, nesting: number) {
    this.span = span;
    this.#nesting = nesting;
  }

  protected node(): JObject | JArray {
    this.#node ??= parseLossless(this.span.text.slice(this.span.start, this.span.end), this.#nesting) as
      | JObject
      | JArray;
    return this.#node;
  }
}

class LazyObject extends Lazy implements JObject {
  readonly t = 'o' as const;
  get members(): readonly JMember[] {
    return (this.node() as JObject).members;
  }
}

class LazyArray extends Lazy implements JArray {
  readonly t = 'a' as const;
  get items(): readonly JNode[] {
    return (this.node() as JArray).items;
  }
}

interface Frame {
  readonly kind: 'o' | 'a';
  readonly start: number;
  readonly members: JMember[];
  readonly items: JNode[];
  /** Keys seen, kept only once an object is large enough for a linear scan to cost more. */
  keys: Set<string> | undefined;
  key: JString | undefined;
  /** Containers inside this one are only scanned. */
  readonly lazyChildren: boolean;
}

function isDuplicate(frame: Frame, key: string): boolean {
  if (frame.keys !== undefined) return frame.keys.has(key);
  if (frame.members.length < 16) return frame.members.some((m) => m.key === key);
  frame.keys = new Set(frame.members.map((m) => m.key));
  return frame.keys.has(key);
}

// The unused list of a frame (an object has no items, an array no members): shared, never written.
const NONE: never[] = [];

/** The reader's state: position and the stack of open containers (no recursion). */
class Reader {
  readonly #text: string;
  readonly #maxNesting: number;
  readonly #eagerDepth: number;
  readonly #lazyUnder: string | undefined;
  readonly #stack: Frame[] = [];
  #i = 0;

  constructor(text: string, options: Required<Omit<ParseOptions, 'lazyUnder'>> & ParseOptions) {
    this.#text = text;
    this.#maxNesting = options.maxNesting;
    this.#eagerDepth = options.eagerDepth;
    this.#lazyUnder = options.lazyUnder;
  }

  read(): JNode {
    const text = this.#text;
    this.#i = skipWs(text, 0);
    for (;;) {
      const value = this.#next();
      if (value === undefined) continue;
      const done = this.#complete(value);
      if (done !== undefined) {
        if (this.#i !== text.length) fail('trailing_content', this.#i);
        return done;
      }
    }
  }

  /** Reads a key, opens a container (both: undefined) or reads a whole value. */
  #next(): JNode | undefined {
    const text = this.#text;
    const i = this.#i;
    const frame = this.#stack[this.#stack.length - 1];
    if (frame?.kind === 'o' && frame.key === undefined) {
      if (text[i] === '}' && frame.members.length === 0) return this.#close(i);
      this.#readKey(frame);
      return undefined;
    }
    if (frame?.kind === 'a' && frame.items.length === 0 && text[i] === ']') return this.#close(i);
    const c = text[i];
    if (c !== '{' && c !== '[') {
      const value = readScalar(text, i);
      this.#i = i + scalarLength(value);
      return value;
    }
    const depth = this.#stack.length;
    if (depth >= this.#maxNesting) fail('nesting_too_deep', i);
    if (depth >= this.#eagerDepth || frame?.lazyChildren === true) return this.#skip(i, c === '{');
    const kind = c === '{' ? 'o' : 'a';
    this.#stack.push({
      kind,
      start: i,
      members: kind === 'o' ? [] : NONE,
      items: kind === 'a' ? [] : NONE,
      keys: undefined,
      key: undefined,
      lazyChildren: kind === 'o' && frame?.key !== undefined && frame.key.value === this.#lazyUnder,
    });
    this.#i = skipWs(text, i + 1);
    return undefined;
  }

  #skip(start: number, object: boolean): JNode {
    const nesting = this.#maxNesting - this.#stack.length;
    const end = skipContainer(this.#text, start, nesting);
    this.#i = end;
    const span = { text: this.#text, start, end };
    return object ? new LazyObject(span, nesting) : new LazyArray(span, nesting);
  }

  #readKey(frame: Frame): void {
    const text = this.#text;
    if (text[this.#i] !== '"') fail('expected_key', this.#i);
    const key = readString(text, this.#i);
    if (isDuplicate(frame, key.value)) fail('duplicate_key', this.#i);
    const colon = skipWs(text, this.#i + scalarLength(key));
    if (text[colon] !== ':') fail('expected_colon', colon);
    frame.key = key;
    this.#i = skipWs(text, colon + 1);
  }

  /** Attaches a finished value to its parent and closes what it completes; the root when it is done. */
  #complete(value: JNode): JNode | undefined {
    const text = this.#text;
    for (;;) {
      this.#i = skipWs(text, this.#i);
      const parent = this.#stack[this.#stack.length - 1];
      if (parent === undefined) return value;
      attach(parent, value);
      const c = text[this.#i];
      if (c === ',') {
        this.#i = skipWs(text, this.#i + 1);
        return undefined;
      }
      if (c !== (parent.kind === 'o' ? '}' : ']')) fail('expected_comma_or_close', this.#i);
      value = this.#close(this.#i);
    }
  }

  #close(end: number): JObject | JArray {
    const frame = this.#stack.pop() as Frame;
    this.#i = end + 1;
    const span = { text: this.#text, start: frame.start, end: end + 1 };
    return frame.kind === 'o'
      ? { t: 'o', members: frame.members, span }
      : { t: 'a', items: frame.items, span };
  }
}

function attach(frame: Frame, value: JNode): void {
  if (frame.kind === 'a') {
    frame.items.push(value);
    return;
  }
  const key = frame.key as JString;
  frame.members.push(
    key.raw === undefined ? { key: key.value, value } : { key: key.value, rawKey: key.raw, value },
  );
  frame.key = undefined;
}
