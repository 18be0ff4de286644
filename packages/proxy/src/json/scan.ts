// The JSON lexer under the lossless reader: scalars read as nodes, and whole
// containers skipped (validated, nesting-capped, nothing allocated but a small
// stack of kinds) for the parts of a body the proxy only passes along.

import { ProxyError } from '../request/proxy-error.js';
import type { JNode, JString } from './node.js';

export function fail(rule: string, offset: number): never {
  throw new ProxyError('malformed_request', 'request body is not valid JSON', {
    context: { rule, offset },
  });
}

const HEX = /^[0-9a-fA-F]{4}$/;
const ESCAPES = '"\\/bfnrt';

export function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i += 1;
  }
}

// Whether the last string `stringEnd` validated had an escape (set by every call).
let escaped = false;

/** The index of the closing quote of the string literal at `start` (validated). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  escaped = false;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
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
}

/** The string literal at `start`; `raw` is kept only when it has escapes (else it is `"value"`). */
export function readString(text: string, start: number): JString {
  const end = stringEnd(text, start);
  if (!escaped) return { t: 's', value: text.slice(start + 1, end) };
  const raw = text.slice(start, end + 1);
  return { t: 's', raw, value: JSON.parse(raw) as string };
}

/** The value of the string literal at `start` when it has no escapes (validated), else undefined; no node is built. */
export function plainString(text: string, start: number): string | undefined {
  const end = stringEnd(text, start);
  return escaped ? undefined : text.slice(start + 1, end);
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

const TRUE: JNode = { t: 'l', raw: 'true' };
const FALSE: JNode = { t: 'l', raw: 'false' };
const NULL: JNode = { t: 'l', raw: 'null' };

export function readScalar(text: string, i: number): JNode {
  const c = text[i];
  if (c === '"') return readString(text, i);
  if (c === 't' && text.startsWith('true', i)) return TRUE;
  if (c === 'f' && text.startsWith('false', i)) return FALSE;
  if (c === 'n' && text.startsWith('null', i)) return NULL;
  return { t: 'n', raw: text.slice(i, numberEnd(text, i)) };
}

export function scalarLength(node: JNode): number {
  if (node.t === 's') return node.raw?.length ?? node.value.length + 2;
  return node.t === 'n' || node.t === 'l' ? node.raw.length : 0;
}

/** The end of the scalar at `i`, validated, nothing allocated. */
export function skipScalar(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i) + 1;
  if (c === 't' && text.startsWith('true', i)) return i + 4;
  if (c === 'f' && text.startsWith('false', i)) return i + 5;
  if (c === 'n' && text.startsWith('null', i)) return i + 4;
  return numberEnd(text, i);
}

/** Past `"key" :` at `i` (whitespace after it skipped too). */
function skipKey(text: string, i: number): number {
  if (text[i] !== '"') fail('expected_key', i);
  const colon = skipWs(text, stringEnd(text, i) + 1);
  if (text[colon] !== ':') fail('expected_colon', colon);
  return skipWs(text, colon + 1);
}

/**
 * The end (exclusive) of the container opening at `start`, validated without
 * building anything; `maxNesting` counts the container itself. Duplicate keys
 * are found when (if ever) the container is read.
 */
export function skipContainer(text: string, start: number, maxNesting: number): number {
  const objects: boolean[] = [];
  let i = start;
  for (;;) {
    const c = text[i];
    if (c === '{' || c === '[') {
      if (objects.length >= maxNesting) fail('nesting_too_deep', i);
      const object = c === '{';
      i = skipWs(text, i + 1);
      if (text[i] !== (object ? '}' : ']')) {
        objects.push(object);
        if (object) i = skipKey(text, i);
        continue;
      }
      i += 1;
    } else {
      i = skipScalar(text, i);
    }
    // A value ended: read `,` or close every container it completes.
    for (;;) {
      if (objects.length === 0) return i;
      i = skipWs(text, i);
      const object = objects[objects.length - 1];
      if (text[i] === ',') {
        i = skipWs(text, i + 1);
        if (object) i = skipKey(text, i);
        break;
      }
      if (text[i] !== (object ? '}' : ']')) fail('expected_comma_or_close', i);
      objects.pop();
      i += 1;
    }
  }
}
