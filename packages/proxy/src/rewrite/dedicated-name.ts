// A dedicated index is the partition's alone only if no other partition (with any
// logical index) renders the same name. `{index}-{partition}` does not promise
// that: partition `b` with logical index `orders-a` and partition `a-b` with
// `orders` both give `orders-a-b`, and a dedicated index is read and written
// without a tenant filter. So a name is used only when it splits back into
// (logical index, partition) one way; otherwise the request fails closed.
import type { IndexName } from '@flusso/core';
import { templateBindings, templateTokens } from '../placement/template-split.js';

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
  for (const { index, partition } of templateBindings(templateTokens(template), name)) {
    seen.add(`${index ?? ''}\u0000${partition ?? ''}`);
    if (seen.size > 1) break;
  }
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, seen.size !== 1);
  return seen.size !== 1;
}

const MAX_VERDICTS = 10_000;
const verdicts = new Map<string, boolean>();
