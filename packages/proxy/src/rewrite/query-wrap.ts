// Wraps a screened search-family body in the partition filter:
// `{"query":{"bool":{"must":[<client query or match_all>],"filter":[{"term":{...}}]}}}`
// with every other top-level key kept as it came (byte for byte). What may be
// in the body at all is the grammar's job (`../grammar/`), done before this.
import { fromPlain, jArray, jObject, memberOf, withMember } from '../json/build.js';
import { type JMember, type JObject, member } from '../json/node.js';

export interface FilterSpec {
  /** Injected fields and the values this partition owns, e.g. `{_tenant: 'acme'}`. */
  readonly terms: Readonly<Record<string, string>>;
}

const MATCH_ALL = fromPlain({ match_all: {} });

/** A filter's term clauses as nodes, built once (nodes are never changed, so they can be shared). */
export interface PartitionFilter {
  readonly clauses: JMember;
}

export function partitionFilter(filter: FilterSpec): PartitionFilter {
  const termFilters = Object.entries(filter.terms).map(([field, value]) =>
    fromPlain({ term: { [field]: value } }),
  );
  return { clauses: memberOf('filter', jArray(termFilters)) };
}

/** `body` with its query wrapped in the partition filter (a copy; untouched members are shared). */
export function wrapQuery(body: JObject, filter: FilterSpec | PartitionFilter): JObject {
  const built = 'clauses' in filter ? filter : partitionFilter(filter);
  const bool = jObject([memberOf('must', jArray([member(body, 'query') ?? MATCH_ALL])), built.clauses]);
  return withMember(body, 'query', jObject([memberOf('bool', bool)]));
}
