// The options of the bodies and sub-objects that are not clauses: the search
// body itself, `_count` and `_delete_by_query` bodies, hit options (inner_hits,
// top_hits), highlight, rescore, collapse, slice and sort. Top-level keys are
// closed: a key not listed is refused (`suggest`, `profile`, `ext`,
// `search_pipeline`, `indices_boost`, `stats`, `derived`, `runtime_mappings`...).
import type { Options } from './rules.js';

/** inner_hits and top_hits. */
export const HIT_OPTIONS: Options = {
  name: 'data',
  from: 'data',
  size: 'data',
  sort: 'sort',
  _source: 'source',
  highlight: 'highlight',
  explain: 'explain',
  version: 'data',
  seq_no_primary_term: 'data',
  track_scores: 'data',
  stored_fields: 'fields',
  docvalue_fields: 'fieldPatterns',
  fields: 'fieldPatterns',
  script_fields: 'scriptFields',
  collapse: 'collapse',
  ignore_unmapped: 'data',
};

/** A search body's top-level keys. */
export const SEARCH_BODY: Options = {
  ...HIT_OPTIONS,
  query: 'query',
  post_filter: 'query',
  aggs: 'aggs',
  aggregations: 'aggs',
  rescore: 'rescore',
  timeout: 'data',
  terminate_after: 'data',
  track_total_hits: 'data',
  min_score: 'data',
  search_after: 'data',
  pit: 'data',
  slice: 'slice',
};

export const COUNT_BODY: Options = { query: 'query', terminate_after: 'data', min_score: 'data' };

export const DELETE_BY_QUERY_BODY: Options = { query: 'query', max_docs: 'data', slice: 'slice' };

export const HIGHLIGHT_FIELD: Options = { highlight_query: 'query', matched_fields: 'fields' };

/** Highlight options (the `fields` map is walked by name). */
export const HIGHLIGHT: Options = { ...HIGHLIGHT_FIELD, pre_tags: 'data', post_tags: 'data' };

export const RESCORE: Options = { window_size: 'data', query: 'rescoreQuery' };

export const RESCORE_QUERY: Options = {
  rescore_query: 'query',
  query_weight: 'data',
  rescore_query_weight: 'data',
  score_mode: 'data',
};

export const COLLAPSE: Options = {
  field: 'field',
  inner_hits: 'hitOptionsList',
  max_concurrent_group_searches: 'data',
};

export const SLICE: Options = { id: 'data', max: 'data', field: 'field' };

export const NESTED_SORT: Options = {
  path: 'field',
  filter: 'query',
  max_children: 'data',
  nested: 'nestedSort',
};

/** A field sort's options, e.g. `{"price": {"order": "asc", "nested": {...}}}`. */
export const SORT_FIELD: Options = { nested: 'nestedSort', missing: 'data' };

/** `_script` sort. */
export const SCRIPT_SORT: Options = { script: 'script', nested: 'nestedSort' };

/** `_geo_distance` sort options besides its one field. */
export const GEO_SORT: Options = {
  order: 'data',
  unit: 'data',
  mode: 'data',
  distance_type: 'data',
  ignore_unmapped: 'data',
  validation_method: 'data',
  nested: 'nestedSort',
};

/** Composite sources' value sources. */
export const COMPOSITE_SOURCES = new Set(['terms', 'histogram', 'date_histogram', 'geotile_grid']);

export const VALUE_SOURCE: Options = { field: 'field', script: 'script', missing: 'data' };
