// Every query clause a tenant may send, and which of its options carry a query,
// a field name, a script or a document reference. A clause not in this table is
// refused (`wrapper`, `template`, `span_*`, `parent_id`, `intervals`, ...).
import { COMMON, type FieldRule, type ObjectRule, type Options, type QueryRule } from './rules.js';

const object = (options: Options): ObjectRule => ({ kind: 'object', options: { ...COMMON, ...options } });
const field = (value: Options | 'data', options: Options = {}): FieldRule => ({
  kind: 'field',
  options: { ...COMMON, ...options },
  value,
});

const TEXT = field({});
const GEO = {
  validation_method: 'data',
  ignore_unmapped: 'data',
  distance: 'data',
  distance_type: 'data',
} as const;
const FUNCTION: Options = {
  filter: 'query',
  weight: 'data',
  script_score: 'valueSource',
  field_value_factor: 'valueSource',
  random_score: 'valueSource',
  gauss: 'decay',
  linear: 'decay',
  exp: 'decay',
  boost_mode: 'data',
  score_mode: 'data',
};

/** Query clauses by name. */
export const QUERIES: Readonly<Record<string, QueryRule>> = {
  match_all: object({}),
  match_none: object({}),
  term: { ...field({}), ids: 'term' },
  terms: { ...field({}, { value_type: 'data' }), ids: 'terms' },
  ids: object({ values: 'ids' }),
  match: TEXT,
  match_phrase: TEXT,
  match_phrase_prefix: TEXT,
  match_bool_prefix: TEXT,
  prefix: TEXT,
  wildcard: TEXT,
  regexp: TEXT,
  fuzzy: TEXT,
  range: field({}),
  exists: object({ field: 'field' }),
  multi_match: object({ fields: 'fields' }),
  combined_fields: object({ fields: 'fields' }),
  query_string: object({ fields: 'fields', default_field: 'field', query: 'queryText' }),
  simple_query_string: object({ fields: 'fields' }),
  bool: object({ must: 'queries', should: 'queries', filter: 'queries', must_not: 'queries' }),
  dis_max: object({ queries: 'queries' }),
  constant_score: object({ filter: 'query' }),
  boosting: object({ positive: 'query', negative: 'query' }),
  function_score: object({ ...FUNCTION, query: 'query', functions: 'functions' }),
  script_score: object({ query: 'query', script: 'script' }),
  script: object({ script: 'script' }),
  nested: object({ path: 'field', query: 'query', inner_hits: 'hitOptions' }),
  has_child: { ...object({ query: 'query', inner_hits: 'hitOptions' }), crossesDocuments: true },
  has_parent: { ...object({ query: 'query', inner_hits: 'hitOptions' }), crossesDocuments: true },
  // `ids` and `docs` (removed from OpenSearch's parser) named documents to read.
  more_like_this: object({ fields: 'fields', like: 'like', unlike: 'like', ids: 'refuse', docs: 'refuse' }),
  geo_distance: field('data', GEO),
  geo_bounding_box: field('data', GEO),
  geo_polygon: field('data', GEO),
  geo_shape: field({ shape: 'data', indexed_shape: 'refuse' }, { ignore_unmapped: 'data' }),
  knn: field({ vector: 'data', filter: 'query', method_parameters: 'data', rescore: 'data' }),
  terms_set: field({
    terms: 'data',
    minimum_should_match_field: 'field',
    minimum_should_match_script: 'script',
  }),
  percolate: object({ field: 'field', document: 'data', documents: 'data', id: 'refuse', index: 'refuse' }),
  distance_feature: object({ field: 'field' }),
  rank_feature: object({ field: 'field', saturation: 'data', log: 'data', sigmoid: 'data', linear: 'data' }),
};

/** A function_score function's options. */
export const FUNCTION_OPTIONS: Options = FUNCTION;
