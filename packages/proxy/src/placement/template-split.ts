// Reading a rendered index name back into the (logical index, partition) pairs an
// index template (`{index}-{partition}`) could have rendered it from. Both checks
// that keep an unfiltered index one partition's alone ask this: whether a name
// splits one way only (dedicated-name.ts), and whether it is another placement's
// (reserved-names.ts).
import { isFlussoError, type PartitionId, parseIndexName, parsePartitionId } from '@flusso/core';

export type TemplateToken = { readonly literal: string } | { readonly placeholder: 'index' | 'partition' };

export interface TemplateBinding {
  readonly index?: string;
  readonly partition?: string;
}

/** `template` as literals and placeholders; with `owner`, `{partition}` is that partition's id. */
export function templateTokens(template: string, owner?: PartitionId): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (const part of template.split(/(\{index\}|\{partition\})/)) {
    if (part === '{index}') out.push({ placeholder: 'index' });
    else if (part === '{partition}' && owner === undefined) out.push({ placeholder: 'partition' });
    else if (part === '{partition}') pushLiteral(out, owner as string);
    else if (part !== '') pushLiteral(out, part);
  }
  return out;
}

function pushLiteral(out: TemplateToken[], text: string): void {
  const last = out.at(-1);
  if (last !== undefined && 'literal' in last) out[out.length - 1] = { literal: last.literal + text };
  else out.push({ literal: text });
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

/** Every valid binding of the placeholders that renders `name` from `parts`, lazily. */
export function* templateBindings(
  parts: readonly TemplateToken[],
  name: string,
  at = 0,
  bound: TemplateBinding = {},
): Generator<TemplateBinding> {
  const [head, ...rest] = parts;
  if (head === undefined) {
    if (at === name.length) yield bound;
    return;
  }
  if ('literal' in head) {
    if (name.startsWith(head.literal, at))
      yield* templateBindings(rest, name, at + head.literal.length, bound);
    return;
  }
  const given = bound[head.placeholder];
  if (given !== undefined) {
    if (name.startsWith(given, at)) yield* templateBindings(rest, name, at + given.length, bound);
    return;
  }
  for (let end = at + 1; end <= name.length; end++) {
    const value = name.slice(at, end);
    if (valid(head.placeholder, value))
      yield* templateBindings(rest, name, end, { ...bound, [head.placeholder]: value });
  }
}
