// The link tuples a change carries: for each link of its table, the values of
// the link's columns in the new row, the old row, or the key (a delete under
// the default replica identity carries only the key).

import type { ChangeEvent, Value } from '@flusso/core';
import { keyValueText } from '../types/key-text.js';
import type { Link } from './resolve-links.js';

/** Per link, distinct tuples of column texts (keyed by their JSON). */
export type LinkTuples = Map<Link, Map<string, readonly string[]>>;

function tupleOf(
  event: Exclude<ChangeEvent, { kind: 'truncate' }>,
  row: Readonly<Record<string, Value>> | undefined,
  link: Link,
): string[] | null {
  const out: string[] = [];
  for (const column of link.columns) {
    const keyIndex = event.keyColumns.indexOf(column as never);
    const value = row?.[column] ?? (keyIndex >= 0 ? event.key[keyIndex] : undefined);
    const text = value ? keyValueText(value) : null;
    if (text === null) return null;
    out.push(text);
  }
  return out;
}

export function collectLinkValues(
  event: Exclude<ChangeEvent, { kind: 'truncate' }>,
  link: Link,
  into: LinkTuples,
): void {
  add(into, link, tupleOf(event, event.kind === 'upsert' ? event.row : undefined, link));
  // Also with no old row: the key alone (a delete under the default replica identity).
  add(into, link, tupleOf(event, event.oldRow, link));
}

function add(into: LinkTuples, link: Link, tuple: readonly string[] | null): void {
  if (tuple === null) return;
  let set = into.get(link);
  if (!set) {
    set = new Map();
    into.set(link, set);
  }
  // A link has a fixed number of columns: one column's text is its own key.
  set.set(tuple.length === 1 ? (tuple[0] as string) : JSON.stringify(tuple), tuple);
}

/** `$1..$n` of a link query: one text[] per column, tuples by position. */
export function linkParams(link: Link, tuples: Iterable<readonly string[]>): string[][] {
  const arrays: string[][] = link.columns.map(() => []);
  for (const tuple of tuples) for (const [i, t] of tuple.entries()) arrays[i]?.push(t);
  return arrays;
}
