// Building and editing lossless nodes. Edits copy: the node given is never
// changed, and the copy keeps every untouched member as the same node (so it
// is still emitted verbatim).
import type { JsonValue } from '@flusso/core';
import type { JArray, JMember, JNode, JObject, JString } from './node.js';

// A string JSON.stringify writes as `"<value>"`: no quote, backslash, control character or lone surrogate half.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what forces an escaped literal
const VERBATIM_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

export function jString(value: string): JString {
  // `raw` only when the literal is not simply the value in quotes (as the reader does).
  return VERBATIM_STRING.test(value) ? { t: 's', value } : { t: 's', value, raw: JSON.stringify(value) };
}

/** A node for a value the proxy made (never for client or upstream data: numbers would be re-written). */
export function fromPlain(value: JsonValue): JNode {
  if (value === null) return { t: 'l', raw: 'null' };
  if (typeof value === 'boolean') return { t: 'l', raw: value ? 'true' : 'false' };
  if (typeof value === 'number') return { t: 'n', raw: JSON.stringify(value) };
  if (typeof value === 'string') return jString(value);
  if (Array.isArray(value)) return { t: 'a', items: value.map(fromPlain) };
  return {
    t: 'o',
    members: Object.entries(value).map(([key, v]) => ({
      key,
      rawKey: JSON.stringify(key),
      value: fromPlain(v),
    })),
  };
}

export function jObject(members: readonly JMember[]): JObject {
  return { t: 'o', members };
}

export function jArray(items: readonly JNode[]): JArray {
  return { t: 'a', items };
}

export function memberOf(key: string, value: JNode): JMember {
  return { key, rawKey: JSON.stringify(key), value };
}

/** A copy of `node` with `key` set to `value`: replaced in place when present, else appended. */
export function withMember(node: JObject, key: string, value: JNode): JObject {
  const at = node.members.findIndex((m) => m.key === key);
  if (at < 0) return jObject([...node.members, memberOf(key, value)]);
  if (node.members[at]?.value === value) return node;
  const members = node.members.slice();
  members[at] = { ...(members[at] as JMember), value };
  return jObject(members);
}

/** A copy of `node` without the members whose key is in `keys` (the node itself when none is there). */
export function withoutMembers(node: JObject, keys: ReadonlySet<string>): JObject {
  const members = node.members;
  let i = 0;
  while (i < members.length && !keys.has((members[i] as JMember).key)) i += 1;
  if (i === members.length) return node;
  return jObject(members.filter((m) => !keys.has(m.key)));
}

/** A copy of `node` with each member's value mapped; the node itself when nothing changed. */
export function mapMembers(node: JObject, fn: (m: JMember) => JNode): JObject {
  const source = node.members;
  let members: JMember[] | undefined;
  for (let i = 0; i < source.length; i++) {
    const m = source[i] as JMember;
    const value = fn(m);
    if (value === m.value) continue;
    members ??= source.slice();
    members[i] = m.rawKey === undefined ? { key: m.key, value } : { key: m.key, rawKey: m.rawKey, value };
  }
  return members === undefined ? node : jObject(members);
}

/** A copy of `node` with each item mapped; the node itself when nothing changed. */
export function mapItems(node: JArray, fn: (item: JNode, index: number) => JNode): JArray {
  const source = node.items;
  let items: JNode[] | undefined;
  for (let i = 0; i < source.length; i++) {
    const item = source[i] as JNode;
    const value = fn(item, i);
    if (value === item) continue;
    items ??= source.slice();
    items[i] = value;
  }
  return items === undefined ? node : jArray(items);
}
