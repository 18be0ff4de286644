// Every aggregation a tenant may send, and which options carry a field, a query,
// a script or hit options. Not in the table: refused. `shardWide` ones read
// statistics of every document on the shard and are refused on a shared index.
import type { AggRule, Options } from './rules.js';
import { HIT_OPTIONS } from './search-table.js';

const METRIC: Options = { field: 'field', script: 'script', missing: 'data' };
const BUCKET_PATH: Options = { buckets_path: 'data', script: 'script', gap_policy: 'data' };
const HISTOGRAM: Options = {
  ...METRIC,
  extended_bounds: 'data',
  hard_bounds: 'data',
  order: 'data',
  min_doc_count: 'data',
};
const RANGE: Options = { ...METRIC, ranges: 'data' };
const TERMS: Options = {
  ...METRIC,
  min_doc_count: 'minDocCount',
  order: 'data',
  include: 'data',
  exclude: 'data',
};

const metric = (extra: Options = {}): AggRule => ({ body: { ...METRIC, ...extra } });

/** Aggregations by type name. */
export const AGGREGATIONS: Readonly<Record<string, AggRule>> = {
  terms: { body: TERMS },
  multi_terms: { body: { terms: 'multiTermsSources', min_doc_count: 'minDocCount', order: 'data' } },
  rare_terms: { body: { ...METRIC, include: 'data', exclude: 'data' } },
  histogram: { body: HISTOGRAM },
  date_histogram: { body: HISTOGRAM },
  auto_date_histogram: { body: METRIC },
  variable_width_histogram: { body: METRIC },
  range: { body: RANGE },
  date_range: { body: RANGE },
  ip_range: { body: RANGE },
  filter: { body: 'query' },
  filters: { body: { filters: 'queryMap' } },
  missing: { body: { field: 'field' } },
  nested: { body: { path: 'field' } },
  reverse_nested: { body: { path: 'field' } },
  sampler: { body: {} },
  diversified_sampler: { body: { field: 'field', script: 'script' } },
  composite: { body: { sources: 'compositeSources', after: 'data' } },
  avg: metric(),
  sum: metric(),
  min: metric(),
  max: metric(),
  value_count: metric(),
  cardinality: metric(),
  stats: metric(),
  extended_stats: metric(),
  percentiles: metric({ percents: 'data', tdigest: 'data', hdr: 'data' }),
  percentile_ranks: metric({ values: 'data', tdigest: 'data', hdr: 'data' }),
  median_absolute_deviation: metric(),
  geo_bounds: metric(),
  geo_centroid: metric(),
  weighted_avg: { body: { value: 'valueSource', weight: 'valueSource', format: 'data', value_type: 'data' } },
  top_hits: { body: HIT_OPTIONS },
  avg_bucket: { body: BUCKET_PATH },
  sum_bucket: { body: BUCKET_PATH },
  min_bucket: { body: BUCKET_PATH },
  max_bucket: { body: BUCKET_PATH },
  stats_bucket: { body: BUCKET_PATH },
  cumulative_sum: { body: BUCKET_PATH },
  derivative: { body: BUCKET_PATH },
  bucket_script: { body: BUCKET_PATH },
  bucket_selector: { body: BUCKET_PATH },
  bucket_sort: { body: { sort: 'sort' } },
  global: { body: {}, shardWide: true },
  significant_terms: { body: { ...METRIC, background_filter: 'query' }, shardWide: true },
  significant_text: { body: { field: 'field', background_filter: 'query' }, shardWide: true },
};
