// The lossless JSON tree: every scalar keeps its source text, every parsed
// container keeps its span of the source, so what the proxy does not change is
// emitted exactly as it came in (numbers, escapes, key order, whitespace).

/** A span of the source text a parsed container was read from. */
export interface Span {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface JObject {
  readonly t: 'o';
  readonly members: readonly JMember[];
  /** Absent on a container the proxy built or changed: emitted member by member. */
  readonly span?: Span;
}

export interface JMember {
  /** The decoded key. */
  readonly key: string;
  /** The key as written, quotes and escapes included; absent when it is `"<key>"` (no escapes). */
  readonly rawKey?: string;
  readonly value: JNode;
}

export interface JArray {
  readonly t: 'a';
  readonly items: readonly JNode[];
  readonly span?: Span;
}

export interface JString {
  readonly t: 's';
  /** The decoded string. */
  readonly value: string;
  /** The literal as written, quotes and escapes included; absent when it is `"<value>"` (no escapes). */
  readonly raw?: string;
}

export interface JNumber {
  readonly t: 'n';
  /** The number as written (`1.0`, `1e400`, `1234567890123456789`). */
  readonly raw: string;
}

export interface JLiteral {
  readonly t: 'l';
  readonly raw: 'true' | 'false' | 'null';
}

export type JNode = JObject | JArray | JString | JNumber | JLiteral;

export function isObject(node: JNode | undefined): node is JObject {
  return node?.t === 'o';
}

export function isArray(node: JNode | undefined): node is JArray {
  return node?.t === 'a';
}

/** The decoded value of a string node; undefined for anything else. */
export function stringOf(node: JNode | undefined): string | undefined {
  return node?.t === 's' ? node.value : undefined;
}

/** The member `key` of an object node (the first one: parsed objects have no duplicates). */
export function member(node: JNode | undefined, key: string): JNode | undefined {
  if (node?.t !== 'o') return undefined;
  for (const m of node.members) if (m.key === key) return m.value;
  return undefined;
}

export function hasMember(node: JNode | undefined, key: string): boolean {
  return member(node, key) !== undefined;
}

/**
 * A client document id as OpenSearch reads one: a non-empty string, or a number's
 * text exactly as written (`12345678901234567891`, `1.0`; OpenSearch takes the
 * token's text, so a double would round two ids into one document).
 */
export function idText(node: JNode | undefined): string | undefined {
  if (node?.t === 's') return node.value === '' ? undefined : node.value;
  if (node?.t === 'n') return node.raw;
  return undefined;
}
