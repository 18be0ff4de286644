// The vocabulary of the grammar tables: what kind of value each option of a
// clause holds. The walker only trusts a value as far as its slot says; an
// option a table does not list may hold scalars (or a list of them) only, so an
// unknown option can never smuggle a query, a document reference or a script.

/** What an option's value is, and so how the walker checks it. */
export type Slot =
  | 'query' // one query clause
  | 'queries' // a clause or a list of clauses
  | 'queryMap' // named clauses (object) or a list of clauses (filters aggregation)
  | 'field' // a field name
  | 'fields' // a field name or a list of them
  | 'fieldPatterns' // docvalue_fields / fields: names or {field, format}
  | 'script' // an inline script; a stored one (`id`) is refused
  | 'scriptFields' // {name: {script}}
  | 'aggs' // named aggregations
  | 'hitOptions' // inner_hits / top_hits options
  | 'hitOptionsList' // collapse inner_hits: options or a list of them
  | 'sort'
  | 'nestedSort'
  | 'highlight'
  | 'source' // source filtering (keeps the injected fields on a shared index)
  | 'like' // more_like_this texts; documents by index/id are refused
  | 'queryText' // query_string syntax: `field:` references are field names
  | 'decay' // decay functions: {"<field>": {origin, scale, ...}, multi_value_mode}
  | 'rescore'
  | 'rescoreQuery'
  | 'valueSource' // {field, script, missing, ...}
  | 'collapse'
  | 'slice'
  | 'explain' // shard-wide statistics: refused when true on a shared index
  | 'minDocCount' // 0 lists terms from the whole shard: refused on a shared index
  | 'functions' // function_score functions
  | 'compositeSources'
  | 'multiTermsSources'
  | 'ids' // document ids, rewritten to physical on a shared index
  | 'data' // inert data (points, shapes, vectors, search_after values)
  | 'refuse'; // reads other documents: refused in every placement

export type Options = Readonly<Record<string, Slot>>;

/** A clause whose body is an object of named options, e.g. `bool`, `nested`, `exists`. */
export interface ObjectRule {
  readonly kind: 'object';
  readonly options: Options;
  /**
   * Matches through documents the tenant filter does not reach (a join's other
   * side, which may be another tenant's): refused where tenants share an index.
   */
  readonly crossesDocuments?: true;
}

/** A clause keyed by one field, e.g. `{"match": {"title": {...}}}`, beside a few clause options. */
export interface FieldRule {
  readonly kind: 'field';
  /** Options beside the field key (boost, _name, ...). */
  readonly options: Options;
  /** The field's value: options (an object or a scalar shorthand), or inert data. */
  readonly value: Options | 'data';
  /** `term`/`terms` on `_id`: values are logical ids, rewritten on a shared index. */
  readonly ids?: 'term' | 'terms';
}

export type QueryRule = ObjectRule | FieldRule;

export interface AggRule {
  /** The aggregation's options; `query` when its body is a query (the `filter` aggregation). */
  readonly body: Options | 'query';
  /** Reports statistics of the whole shard: refused where tenants share an index. */
  readonly shardWide?: true;
}

/**
 * `table[key]` for an own key only: a client key such as `constructor` or
 * `__proto__` must never find something on the prototype.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Clause options every query takes. */
export const COMMON: Options = { boost: 'data', _name: 'data' };
