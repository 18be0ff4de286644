// A lossless node as a plain JSON value, for decisions only (numbers become
// JavaScript numbers): what goes out is always emitted from the node.
import type { JsonObject, JsonValue } from '@flusso/core';
import type { JNode, JObject } from './node.js';

export function toPlain(node: JNode): JsonValue {
  switch (node.t) {
    case 's':
      return node.value;
    case 'n':
      return Number(node.raw);
    case 'l':
      return node.raw === 'null' ? null : node.raw === 'true';
    case 'a':
      return node.items.map(toPlain);
    case 'o': {
      const out: JsonObject = {};
      for (const m of node.members) set(out, m.key, toPlain(m.value));
      return out;
    }
  }
}

/**
 * The top-level members of an object, containers left empty: enough for a tenant
 * claim (a claim that is not a string still shows as one) without copying the document.
 */
export function shallowPlain(node: JObject): JsonObject {
  const out: JsonObject = {};
  for (const m of node.members) {
    set(out, m.key, m.value.t === 'o' ? {} : m.value.t === 'a' ? [] : toPlain(m.value));
  }
  return out;
}

/** An own property, as JSON.parse makes it: a `"__proto__"` key must not become the prototype. */
function set(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
