// Passthrough targets: which paths claim the operator-listed legacy indexes, and
// whether a named index stays inside that set. Only a concrete index name that
// starts with a listed prefix is inside: never a list, wildcard, `_all`, date
// math, exclusion or remote-cluster expression.
import { isFlussoError, parseIndexName } from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';

/** Path endpoints whose next segment names another index (clone, split, alias, ...). */
const NAMING_ENDPOINTS = new Set(['_clone', '_split', '_shrink', '_rollover', '_alias', '_aliases']);

function outside(rule: string): never {
  throw new ProxyError('unauthorized', 'passthrough names an index outside the passthrough set', {
    context: { rule },
  });
}

/** The bare name an expression part would resolve from: no `<`, `-`, `+` or `cluster:` in front. */
function bareName(part: string): string {
  const local = part.slice(part.lastIndexOf(':') + 1);
  return local.replace(/^[<+-]+/, '');
}

/** Whether an index expression (a path's first segment) reaches for a passthrough index. */
export function claimsPassthrough(expression: string, prefixes: readonly string[]): boolean {
  if (prefixes.length === 0) return false;
  return expression.split(',').some((part) => {
    const name = bareName(part);
    return prefixes.some((prefix) => name.startsWith(prefix));
  });
}

function concrete(name: string): boolean {
  if (name === '' || name === '_all' || name.startsWith('<')) return false;
  try {
    parseIndexName(name);
    return true;
  } catch (error) {
    if (isFlussoError(error, 'invalid_name')) return false;
    throw error;
  }
}

/**
 * Throws `unauthorized` unless `name` is one concrete index inside the passthrough
 * set (a listed prefix, then anything a valid index name may hold).
 */
export function checkPassthroughIndex(name: unknown, prefixes: readonly string[]): void {
  if (typeof name !== 'string') outside('index_not_a_name');
  if (!concrete(name)) outside('index_expression');
  if (!prefixes.some((prefix) => name.startsWith(prefix))) outside('index_outside_set');
}

/** Checks every index a passthrough path names: its first segment, and a clone/split/alias target. */
export function checkPassthroughPath(segments: readonly string[], prefixes: readonly string[]): void {
  const [head, endpoint, named] = segments;
  checkPassthroughIndex(head, prefixes);
  if (endpoint !== undefined && NAMING_ENDPOINTS.has(endpoint) && named !== undefined) {
    checkPassthroughIndex(named, prefixes);
  }
}
