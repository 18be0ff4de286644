// Writing the lossless tree back out: a parsed container the proxy did not
// change is its source span verbatim; a changed one is written member by
// member, each untouched child again verbatim.
import type { JNode } from './node.js';

function emitInto(node: JNode, out: string[]): void {
  if (node.t === 's') {
    out.push(node.raw ?? `"${node.value}"`);
    return;
  }
  if (node.t === 'n' || node.t === 'l') {
    out.push(node.raw);
    return;
  }
  if (node.span !== undefined) {
    out.push(node.span.text.slice(node.span.start, node.span.end));
    return;
  }
  if (node.t === 'a') {
    out.push('[');
    node.items.forEach((item, i) => {
      if (i > 0) out.push(',');
      emitInto(item, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  node.members.forEach((m, i) => {
    if (i > 0) out.push(',');
    out.push(m.rawKey ?? `"${m.key}"`, ':');
    emitInto(m.value, out);
  });
  out.push('}');
}

/** The JSON text of `node`. */
export function emit(node: JNode): string {
  const out: string[] = [];
  emitInto(node, out);
  return out.join('');
}
