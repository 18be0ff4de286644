// A strict, iterative JSON reader into the lossless tree: no recursion (a
// 100 000-deep body cannot overflow the stack), a nesting cap, duplicate keys
// refused. Errors are `malformed_request` and carry offsets only, never content.
import { FlussoError } from '@flusso/core';
import type { JArray, JMember, JNode, JObject, JString } from './node.js';

/** Nesting beyond this is refused by default (OpenSearch's own parser stops at 1000). */
const DEFAULT_MAX_NESTING = 1000;

function fail(rule: string, offset: number): never {
  throw new FlussoError('malformed_request', 'request body is not valid JSON', {
    context: { rule, offset },
  });
}

const HEX = /^[0-9a-fA-F]{4}$/;
const ESCAPES = '"\\/bfnrt';

interface Frame {
  readonly kind: 'o' | 'a';
  readonly start: number;
  readonly members: JMember[];
  readonly items: JNode[];
  /** Keys seen, kept only once an object is large enough for a linear scan to cost more. */
  keys: Set<string> | undefined;
  key: JString | undefined;
}

function isDuplicate(frame: Frame, key: string): boolean {
  if (frame.keys !== undefined) return frame.keys.has(key);
  if (frame.members.length < 16) return frame.members.some((m) => m.key === key);
  frame.keys = new Set(frame.members.map((m) => m.key));
  return frame.keys.has(key);
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i += 1;
  }
}

/** The string literal at `start`; `raw` is kept only when it has escapes (else it is `"value"`). */
function readString(text: string, start: number): JString {
  let i = start + 1;
  let escaped = false;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (Number.isNaN(c)) fail('unterminated_string', start);
    if (c < 0x20) fail('control_character', i);
    if (c === 0x5c) {
      escaped = true;
      const e = text[i + 1];
      if (e === 'u') {
        if (!HEX.test(text.slice(i + 2, i + 6))) fail('bad_escape', i);
        i += 6;
        continue;
      }
      if (e === undefined || !ESCAPES.includes(e)) fail('bad_escape', i);
      i += 2;
      continue;
    }
    i += 1;
  }
  if (!escaped) return { t: 's', value: text.slice(start + 1, i) };
  const raw = text.slice(start, i + 1);
  return { t: 's', raw, value: JSON.parse(raw) as string };
}

function digits(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  return i;
}

/** The end of the number at `start` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`). */
function numberEnd(text: string, start: number): number {
  let i = text.charCodeAt(start) === 0x2d ? start + 1 : start;
  const first = text.charCodeAt(i);
  if (first === 0x30) i += 1;
  else if (first >= 0x31 && first <= 0x39) i = digits(text, i);
  else fail('unexpected_token', start);
  if (text.charCodeAt(i) === 0x2e) {
    const end = digits(text, i + 1);
    if (end === i + 1) fail('bad_number', i);
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i += 1;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i += 1;
    const end = digits(text, i);
    if (end === i) fail('bad_number', i);
    i = end;
  }
  return i;
}

// The unused list of a frame (an object has no items, an array no members): shared, never written.
const NONE: never[] = [];

const TRUE: JNode = { t: 'l', raw: 'true' };
const FALSE: JNode = { t: 'l', raw: 'false' };
const NULL: JNode = { t: 'l', raw: 'null' };

function readScalar(text: string, i: number): JNode {
  const c = text[i];
  if (c === '"') return readString(text, i);
  if (c === 't' && text.startsWith('true', i)) return TRUE;
  if (c === 'f' && text.startsWith('false', i)) return FALSE;
  if (c === 'n' && text.startsWith('null', i)) return NULL;
  return { t: 'n', raw: text.slice(i, numberEnd(text, i)) };
}

function scalarLength(node: JNode): number {
  if (node.t === 's') return node.raw?.length ?? node.value.length + 2;
  return node.t === 'n' || node.t === 'l' ? node.raw.length : 0;
}

/** Parse `text` as one JSON value; throws `malformed_request` (offsets only) on anything else. */
export function parseLossless(text: string, maxNesting = DEFAULT_MAX_NESTING): JNode {
  return new Reader(text, maxNesting).read();
}

/** The reader's state: position and the stack of open containers (no recursion). */
class Reader {
  readonly #text: string;
  readonly #maxNesting: number;
  readonly #stack: Frame[] = [];
  #i = 0;

  constructor(text: string, maxNesting: number) {
    this.#text = text;
    this.#maxNesting = maxNesting;
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
    if (c === '{' || c === '[') {
      if (this.#stack.length >= this.#maxNesting) fail('nesting_too_deep', i);
      const kind = c === '{' ? 'o' : 'a';
      this.#stack.push({
        kind,
        start: i,
        members: kind === 'o' ? [] : NONE,
        items: kind === 'a' ? [] : NONE,
        keys: undefined,
        key: undefined,
      });
      this.#i = skipWs(text, i + 1);
      return undefined;
    }
    const value = readScalar(text, i);
    this.#i = i + scalarLength(value);
    return value;
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
