// The grammar's refusals: `malformed_request`, shape-only. A construct name is
// echoed only when it is a plain word (it is the client's own key); field names,
// values and literals never are.
import { ProxyError } from '../request/proxy-error.js';

const PLAIN = /^[a-z_]{1,40}$/;

function named(name: string): string {
  return PLAIN.test(name) ? name : 'unknown';
}

export type RefusalKind =
  | 'unknown_construct' // not in the grammar's tables
  | 'reads_other_documents' // lookups by index/id, stored scripts and templates
  | 'shard_wide' // statistics over every tenant on a shared index
  | 'foreign_field' // a field the tenant does not own, on a shared index
  | 'structured_option' // an unlisted option holding objects
  | 'not_a_clause' // a clause that is not one object with one key
  | 'too_deep';

const SENTENCE: Record<RefusalKind, string> = {
  unknown_construct: 'is not allowed behind the proxy',
  reads_other_documents: 'reads other documents and is not allowed behind the proxy',
  shard_wide: 'reports shard-wide statistics and is not allowed on a shared index',
  foreign_field: 'names a field the tenant does not own',
  structured_option: 'may only hold scalars behind the proxy',
  not_a_clause: 'must be an object with exactly one clause',
  too_deep: 'nests deeper than the proxy allows',
};

/** Throws the refusal of `construct` found in `position` (e.g. `query`, `aggs`, `sort`). */
export function refuse(kind: RefusalKind, construct: string, position: string): never {
  const name = named(construct);
  throw new ProxyError('malformed_request', `${name} in ${position} ${SENTENCE[kind]}`, {
    context: { rule: kind, construct: name, position },
  });
}
