// The reply splicer's validating scan: keys, separators and whole values read
// as the lossless reader reads them (duplicate keys refused, nesting capped),
// throwing `FALLBACK` wherever the splicer cannot be certain of the shaper's
// output (an escaped key, a key the shaper rewrites under, invalid JSON).
import { plainString, skipScalar, skipWs } from '../json/scan.js';

/** Thrown (never escapes the splicer) when the splicer is not certain. */
export const FALLBACK = new Error('reply splice: not certain, take the lossless path');

/** A key the lossless shaper would rewrite something under, inside a value the splicer copies. */
export function banned(key: string): boolean {
  return key === 'hits' || key === 'failures';
}

/** The key at `i`: a string without escapes (its literal ends `key.length + 2` past `i`). */
export function plainKey(text: string, i: number): string {
  if (text.charCodeAt(i) !== 0x22) throw FALLBACK;
  const key = plainString(text, i);
  if (key === undefined) throw FALLBACK;
  return key;
}

/** The end of the key at `i` (a string without escapes, not in `keys`, then recorded there). */
export function keyEnd(text: string, i: number, keys: string[]): number {
  const key = plainKey(text, i);
  if (keys.includes(key)) throw FALLBACK;
  keys.push(key);
  return i + key.length + 2;
}

/**
 * After an item or member ending at `i`: the next one's start (past `,` and
 * whitespace), or `~end` (negative) when `close` ends the container, `end` past it.
 */
export function separator(text: string, i: number, close: number): number {
  const at = skipWs(text, i);
  const c = text.charCodeAt(at);
  if (c === 0x2c) return skipWs(text, at + 1);
  if (c === close) return ~(at + 1);
  throw FALLBACK;
}

/** Past `:` and whitespace after the key ending at `i`. */
export function afterColon(text: string, i: number): number {
  const colon = skipWs(text, i);
  if (text.charCodeAt(colon) !== 0x3a) throw FALLBACK;
  return skipWs(text, colon + 1);
}

/**
 * The end of the value at `start`, validated as the lossless reader would read
 * it eagerly (duplicate keys refused), and certain to hold nothing the shaper
 * rewrites (no `hits` or `failures` key, no escaped key).
 */
export function checkedEnd(text: string, start: number, nesting: number): number {
  const c0 = text.charCodeAt(start);
  if (c0 !== 0x7b && c0 !== 0x5b) return skipScalar(text, start);
  const frames: (string[] | null)[] = [];
  let i = start;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (frames.length >= nesting) throw FALLBACK;
      const object = c === 0x7b;
      i = skipWs(text, i + 1);
      if (text.charCodeAt(i) !== (object ? 0x7d : 0x5d)) {
        const keys = object ? [] : null;
        frames.push(keys);
        if (keys !== null) i = checkedKey(text, i, keys);
        continue;
      }
      i += 1;
    } else {
      i = skipScalar(text, i);
    }
    for (;;) {
      if (frames.length === 0) return i;
      const keys = frames[frames.length - 1] as string[] | null;
      const next = separator(text, i, keys !== null ? 0x7d : 0x5d);
      if (next >= 0) {
        i = keys !== null ? checkedKey(text, next, keys) : next;
        break;
      }
      frames.pop();
      i = ~next;
    }
  }
}

function checkedKey(text: string, i: number, keys: string[]): number {
  const end = keyEnd(text, i, keys);
  if (banned(keys[keys.length - 1] as string)) throw FALLBACK;
  return afterColon(text, end);
}
