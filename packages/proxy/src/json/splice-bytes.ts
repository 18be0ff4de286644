// Edits of a request body made on its bytes: when the body is ASCII and its top
// level is written without whitespace, the text the tree path emits for an
// object with a member's value wrapped or members appended is the original bytes
// with the new text inserted, so the body is never re-emitted nor re-encoded.
import type { ReadBody } from './body.js';
import type { JNode, JObject } from './node.js';

const encoder = new TextEncoder();

/**
 * Where spliced bytes are written: `new Uint8Array` by default (this module stays
 * pure); a server passes Node's pooled allocation, much cheaper for small bodies.
 */
export type Alloc = (length: number) => Uint8Array;

const fresh: Alloc = (length) => new Uint8Array(length);

/** Text to insert before byte `at` of the source. */
export interface Insert {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** UTF-8 bytes of text the proxy wrote (filter clauses, injected fields). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return false;
  return true;
}

/** Length of a value's text as the tree path emits it; undefined for a container it built. */
function emittedLength(node: JNode): number | undefined {
  if (node.t === 's') return node.raw === undefined ? node.value.length + 2 : node.raw.length;
  if (node.t === 'n' || node.t === 'l') return node.raw.length;
  return node.span === undefined ? undefined : node.span.end - node.span.start;
}

/**
 * The source bytes of `read` when they are exactly what the tree path emits for
 * its object (ASCII, so text offsets are byte offsets; no whitespace at the top
 * level, which the tree path drops); undefined otherwise (take the tree path).
 */
export function compactSource(read: ReadBody<JObject>): Uint8Array | undefined {
  const bytes = read.bytes;
  const span = read.node.span;
  if (typeof bytes === 'string' || span === undefined) return undefined;
  if (span.start !== 0 || span.end !== bytes.length || !isAscii(bytes)) return undefined;
  const members = read.node.members;
  // `{}`, the commas, and per member its key, `:` and value: any more is whitespace.
  let length = members.length === 0 ? 2 : members.length + 1;
  for (const m of members) {
    const value = emittedLength(m.value);
    if (value === undefined) return undefined;
    length += (m.rawKey === undefined ? m.key.length + 2 : m.rawKey.length) + 1 + value;
  }
  return length === bytes.length ? bytes : undefined;
}

/** `source` with each insert's bytes placed before its offset (inserts in ascending order). */
export function spliceBytes(source: Uint8Array, inserts: readonly Insert[], alloc = fresh): Uint8Array {
  let length = source.length;
  for (const insert of inserts) length += insert.bytes.length;
  const out = alloc(length);
  let from = 0;
  let to = 0;
  for (const insert of inserts) {
    // Out of order would leave bytes of a pooled allocation unwritten: a bug, never a request's fault.
    if (insert.at < from || insert.at > source.length) throw new RangeError('splice inserts out of order');
    out.set(source.subarray(from, insert.at), to);
    to += insert.at - from;
    out.set(insert.bytes, to);
    to += insert.bytes.length;
    from = insert.at;
  }
  out.set(source.subarray(from), to);
  return out;
}
