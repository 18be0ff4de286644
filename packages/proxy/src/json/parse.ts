// A strict, iterative JSON reader into the lossless tree: no recursion (a
// 100 000-deep body cannot overflow the stack), a nesting cap, duplicate keys
// refused. Errors are `malformed_request` and carry offsets only, never content.
import { FlussoError } from '@flusso/core';
import type { JArray, JMember, JNode, JObject, JString } from './node.js';

/** Nesting beyond this is refused by default (OpenSearch's own parser stops at 1000). */
export const DEFAULT_MAX_NESTING = 1000;

function fail(rule: string, offset: number): never {
  throw new FlussoError('malformed_request', 'request body is not valid JSON', {
    context: { rule, offset },
  });
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX = /^[0-9a-fA-F]{4}$/;

interface Frame {
  readonly kind: 'o' | 'a';
  readonly start: number;
  readonly members: JMember[];
  readonly items: JNode[];
  readonly keys: Set<string> | undefined;
  key: JString | undefined;
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i += 1;
  }
}

function readString(text: string, start: number): JString {
  let i = start + 1;
  let escaped = false;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c)) fail('unterminated_string', start);
    if (c === 0x22) break;
    if (c < 0x20) fail('control_character', i);
    if (c === 0x5c) {
      escaped = true;
      const e = text[i + 1];
      if (e === 'u') {
        if (!HEX.test(text.slice(i + 2, i + 6))) fail('bad_escape', i);
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad_escape', i);
      i += 2;
      continue;
    }
    i += 1;
  }
  const raw = text.slice(start, i + 1);
  return { t: 's', raw, value: escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1) };
}

function readScalar(text: string, i: number): JNode {
  const c = text[i];
  if (c === '"') return readString(text, i);
  for (const raw of ['true', 'false', 'null'] as const) {
    if (text.startsWith(raw, i)) return { t: 'l', raw };
  }
  NUMBER.lastIndex = i;
  const match = NUMBER.exec(text);
  if (match === null) fail('unexpected_token', i);
  return { t: 'n', raw: match[0] };
}

function scalarLength(node: JNode): number {
  return node.t === 's' || node.t === 'n' || node.t === 'l' ? node.raw.length : 0;
}

/** Parse `text` as one JSON value; throws `malformed_request` (offsets only) on anything else. */
export function parseLossless(text: string, maxNesting = DEFAULT_MAX_NESTING): JNode {
  const stack: Frame[] = [];
  let i = skipWs(text, 0);
  let done: JNode | undefined;
  while (done === undefined) {
    const frame = stack[stack.length - 1];
    let value: JNode | undefined;
    if (frame !== undefined && frame.kind === 'o' && frame.key === undefined) {
      // Expect a key or the end of the object.
      if (text[i] === '}' && frame.members.length === 0) {
        value = close(stack, text, i);
        i += 1;
      } else {
        if (text[i] !== '"') fail('expected_key', i);
        const key = readString(text, i);
        if (frame.keys?.has(key.value)) fail('duplicate_key', i);
        frame.keys?.add(key.value);
        i = skipWs(text, i + key.raw.length);
        if (text[i] !== ':') fail('expected_colon', i);
        frame.key = key;
        i = skipWs(text, i + 1);
        continue;
      }
    } else if (frame !== undefined && frame.kind === 'a' && frame.items.length === 0 && text[i] === ']') {
      value = close(stack, text, i);
      i += 1;
    } else if (text[i] === '{' || text[i] === '[') {
      if (stack.length >= maxNesting) fail('nesting_too_deep', i);
      const kind = text[i] === '{' ? 'o' : 'a';
      stack.push({
        kind,
        start: i,
        members: [],
        items: [],
        keys: kind === 'o' ? new Set() : undefined,
        key: undefined,
      });
      i = skipWs(text, i + 1);
      continue;
    } else {
      value = readScalar(text, i);
      i += scalarLength(value);
    }
    // A value is complete: attach it to its parent, then read `,` or the parent's close.
    for (;;) {
      const parent = stack[stack.length - 1];
      i = skipWs(text, i);
      if (parent === undefined) {
        done = value;
        break;
      }
      attach(parent, value);
      const c = text[i];
      if (c === ',') {
        i = skipWs(text, i + 1);
        break;
      }
      if (c !== (parent.kind === 'o' ? '}' : ']')) fail('expected_comma_or_close', i);
      value = close(stack, text, i);
      i += 1;
    }
  }
  if (i !== text.length) fail('trailing_content', i);
  return done;
}

function attach(frame: Frame, value: JNode): void {
  if (frame.kind === 'a') {
    frame.items.push(value);
    return;
  }
  const key = frame.key as JString;
  frame.members.push({ key: key.value, rawKey: key.raw, value });
  frame.key = undefined;
}

function close(stack: Frame[], text: string, end: number): JObject | JArray {
  const frame = stack.pop() as Frame;
  const span = { text, start: frame.start, end: end + 1 };
  return frame.kind === 'o' ? { t: 'o', members: frame.members, span } : { t: 'a', items: frame.items, span };
}
