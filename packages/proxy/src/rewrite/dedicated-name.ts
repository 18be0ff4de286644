// A dedicated index is the partition's alone only if no other partition (with any
// logical index) renders the same name. `{index}-{partition}` does not promise
// that: partition `b` with logical index `orders-a` and partition `a-b` with
// `orders` both give `orders-a-b`, and a dedicated index is read and written
// without a tenant filter. So a name is used only when it splits back into
// (logical index, partition) one way; otherwise the request fails closed.
import { type IndexName, isFlussoError, parseIndexName, parsePartitionId } from '@flusso/core';

type Token = { readonly literal: string } | { readonly placeholder: 'index' | 'partition' };

function tokens(template: string): Token[] {
  const out: Token[] = [];
  for (const part of template.split(/(\{index\}|\{partition\})/)) {
    if (part === '{index}') out.push({ placeholder: 'index' });
    else if (part === '{partition}') out.push({ placeholder: 'partition' });
    else if (part !== '') out.push({ literal: part });
  }
  return out;
}

function valid(kind: 'index' | 'partition', value: string): boolean {
  try {
    if (kind === 'partition') parsePartitionId(value);
    else if (value.startsWith('_')) return false;
    else parseIndexName(value);
    return true;
  } catch (error) {
    if (isFlussoError(error, 'invalid_name')) return false;
    throw error;
  }
}

type Bindings = { index?: string; partition?: string };

/** How many (logical index, partition) pairs render `name` by `template` (counted up to 2). */
function splits(parts: readonly Token[], name: string, at: number, bound: Bindings, seen: Set<string>): void {
  if (seen.size > 1) return;
  const [head, ...rest] = parts;
  if (head === undefined) {
    if (at === name.length) seen.add(`${bound.index ?? ''}\u0000${bound.partition ?? ''}`);
    return;
  }
  if ('literal' in head) {
    if (name.startsWith(head.literal, at)) splits(rest, name, at + head.literal.length, bound, seen);
    return;
  }
  const given = bound[head.placeholder];
  if (given !== undefined) {
    if (name.startsWith(given, at)) splits(rest, name, at + given.length, bound, seen);
    return;
  }
  for (let end = at + 1; end <= name.length && seen.size < 2; end++) {
    const value = name.slice(at, end);
    if (valid(head.placeholder, value))
      splits(rest, name, end, { ...bound, [head.placeholder]: value }, seen);
  }
}

/**
 * Whether `name` (rendered from `template`) could be another partition's dedicated
 * index: the template names partitions (`{partition}`) and the name splits into more
 * than one valid (logical index, partition) pair. A template without `{partition}`
 * (`acme-{index}`) is one partition's own name, given to it alone by its placement
 * entry: the placement table, not the view, keeps two entries from naming one index.
 */
export function sharedByAnother(template: string, name: IndexName): boolean {
  if (!template.includes('{partition}')) return false;
  // Asked on every request to a dedicated index; the split tries every cut of the name.
  const key = `${template}\u0000${name}`;
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const seen = new Set<string>();
  splits(tokens(template), name, 0, {}, seen);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, seen.size !== 1);
  return seen.size !== 1;
}

const MAX_VERDICTS = 10_000;
const verdicts = new Map<string, boolean>();
