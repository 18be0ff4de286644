// Writing the lossless tree back out: a parsed container the proxy did not
// change is its source span verbatim; a changed one is written member by
// member, each untouched child again verbatim.
import type { JMember, JNode } from './node.js';

function emitNode(node: JNode): string {
  if (node.t === 's') return node.raw ?? `"${node.value}"`;
  if (node.t === 'n' || node.t === 'l') return node.raw;
  const span = node.span;
  if (span !== undefined) return span.text.slice(span.start, span.end);
  // String concatenation (V8 ropes, flattened once when encoded): no array of parts to join.
  if (node.t === 'a') {
    const items = node.items;
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ',';
      out += emitNode(items[i] as JNode);
    }
    return `${out}]`;
  }
  const members = node.members;
  let out = '{';
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as JMember;
    if (i > 0) out += ',';
    out += m.rawKey ?? `"${m.key}"`;
    out += ':';
    out += emitNode(m.value);
  }
  return `${out}}`;
}

/** The JSON text of `node`. */
export function emit(node: JNode): string {
  return emitNode(node);
}
