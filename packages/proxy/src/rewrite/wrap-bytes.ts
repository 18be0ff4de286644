// The shared-index rewrites of a request body (the query wrapped in the
// partition filter, injected fields appended to a document) done on the body's
// bytes where `compactSource` allows it. The inserted text is cut from what the
// tree path emits for the same rewrite, so both paths write the same bytes by
// construction (and a property test holds them to it).
import type { ReadBody } from '../json/body.js';
import { jObject, memberOf } from '../json/build.js';
import { emit } from '../json/emit.js';
import type { JMember, JNode, JObject } from '../json/node.js';
import { type Alloc, compactSource, type Insert, spliceBytes, utf8 } from '../json/splice-bytes.js';
import { type PartitionFilter, wrapQuery } from './query-wrap.js';

// Stands for the client query in the emitted wrapper: a raw control character, which
// the proxy's emitted text (JSON.stringify'd names and values) can never hold.
const MARK = '\u0001';

/** Members appended to an object: after its own (`,` first), or alone in an empty one. */
export interface Appended {
  readonly toMembers: Uint8Array;
  readonly alone: Uint8Array;
}

/** `members` (emitted, without braces) as `Appended` bytes. */
export function appendedText(members: string): Appended {
  return { toMembers: utf8(members === '' ? '' : `,${members}`), alone: utf8(members) };
}

/** The wrapper's text around the client query, and the whole `"query"` member for a body without one. */
export interface WrapText {
  readonly before: Uint8Array;
  readonly after: Uint8Array;
  readonly query: Appended;
}

export function wrapText(filter: PartitionFilter): WrapText {
  const marked: JNode = { t: 'n', raw: MARK };
  const wrapped = emit(wrapQuery(jObject([memberOf('query', marked)]), filter));
  // `{"query":<before>MARK<after>}`
  const inner = wrapped.slice('{"query":'.length, -1);
  const at = inner.indexOf(MARK);
  const alone = emit(wrapQuery(jObject([]), filter));
  return {
    before: utf8(inner.slice(0, at)),
    after: utf8(inner.slice(at + 1)),
    query: appendedText(alone.slice(1, -1)),
  };
}

/** `source` with `text` appended to its top-level members. */
function append(source: Uint8Array, read: ReadBody<JObject>, text: Appended, alloc?: Alloc): Uint8Array {
  const bytes = read.node.members.length === 0 ? text.alone : text.toMembers;
  return spliceBytes(source, [{ at: source.length - 1, bytes }], alloc);
}

/** The bytes of `wrapQuery(read.node, filter)` spliced from the source; undefined: take the tree path. */
export function wrapQueryBytes(
  read: ReadBody<JObject>,
  text: WrapText,
  alloc?: Alloc,
): Uint8Array | undefined {
  const source = compactSource(read);
  if (source === undefined) return undefined;
  const members = read.node.members;
  let query: JNode | undefined;
  for (const m of members) if (m.key === 'query') query = m.value;
  if (query === undefined) return append(source, read, text.query, alloc);
  // A scalar query is the grammar's to refuse; only a read container has its offsets.
  if ((query.t !== 'o' && query.t !== 'a') || query.span === undefined) return undefined;
  const inserts: Insert[] = [
    { at: query.span.start, bytes: text.before },
    { at: query.span.end, bytes: text.after },
  ];
  return spliceBytes(source, inserts, alloc);
}

/** The injected members as the tree path emits them after a document's own. */
export function injectText(members: readonly JMember[]): Appended {
  return appendedText(emit(jObject(members)).slice(1, -1));
}

/** The bytes of the document with `inject` appended, spliced from the source; undefined: take the tree path. */
export function injectBytes(
  read: ReadBody<JObject>,
  inject: Appended,
  alloc?: Alloc,
): Uint8Array | undefined {
  const source = compactSource(read);
  return source === undefined ? undefined : append(source, read, inject, alloc);
}
