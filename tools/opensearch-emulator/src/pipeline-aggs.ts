// Sibling pipeline aggregations (avg_bucket, sum_bucket, min_bucket, max_bucket):
// computed after their siblings, over the values `buckets_path` picks from each
// bucket of a multi-bucket sibling (`terms>metric`, `terms.metric`, `terms>_count`).
import { OsError } from './errors.js';

type Q = Record<string, unknown>;

export const PIPELINE = new Set(['avg_bucket', 'sum_bucket', 'min_bucket', 'max_bucket']);

/** A metric's single value from a bucket: `_count`, a sub-agg's `value`, or `agg.prop`. */
function valueIn(bucket: Q, path: string[]): number | null {
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '_count') return Number(bucket.doc_count);
  const [name, prop] = head.split('.') as [string, string | undefined];
  const sub = bucket[name];
  if (!sub || typeof sub !== 'object') return null;
  if (rest.length > 0) return valueIn(sub as Q, rest);
  const v = prop === undefined ? ((sub as Q).value ?? (sub as Q).doc_count) : (sub as Q)[prop];
  return v === null || v === undefined ? null : Number(v);
}

function bucketsOf(result: unknown): Q[] {
  const buckets = (result as Q | undefined)?.buckets;
  if (Array.isArray(buckets)) return buckets as Q[];
  if (buckets && typeof buckets === 'object') return Object.values(buckets as Q) as Q[];
  return [];
}

/** The values a sibling pipeline aggregates: one per bucket, gaps skipped. */
function pickValues(path: string, siblings: Q, name: string): number[] {
  const parts = path.split('>');
  const first = parts[0] ?? '';
  // `terms.metric` names the bucket agg, then the metric inside each bucket.
  const [aggName, ...inner] = parts.length > 1 ? [first] : first.split('.');
  const rest = parts.length > 1 ? parts.slice(1) : [inner.join('.')];
  const result = siblings[aggName as string];
  if (result === undefined)
    throw new OsError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: No aggregation found for path [${path}];`,
    );
  if (rest.length === 1 && rest[0] === '')
    throw new OsError(
      400,
      'illegal_argument_exception',
      `buckets_path must reference a metric inside [${name}]`,
    );
  return bucketsOf(result)
    .map((b) => valueIn(b, rest))
    .filter((v): v is number => v !== null && !Number.isNaN(v));
}

/** The results of the sibling pipelines in `aggs`, given the other results at that level. */
export function siblingPipelines(aggs: Q, results: Q, typeOf: (name: string, def: unknown) => string): Q {
  const out: Q = {};
  for (const [name, def] of Object.entries(aggs)) {
    const type = typeOf(name, def);
    if (!PIPELINE.has(type)) continue;
    const spec = ((def as Q)[type] ?? {}) as Q;
    if (typeof spec.buckets_path !== 'string')
      throw new OsError(400, 'parsing_exception', `Required parameter [buckets_path] missing in [${name}]`);
    const values = pickValues(spec.buckets_path, results, name);
    const sum = values.reduce((a, b) => a + b, 0);
    const value =
      type === 'sum_bucket'
        ? sum
        : values.length === 0
          ? null
          : type === 'avg_bucket'
            ? sum / values.length
            : type === 'min_bucket'
              ? Math.min(...values)
              : Math.max(...values);
    const meta = (def as Q).meta;
    out[name] = { ...(meta === undefined ? {} : { meta }), value };
  }
  return out;
}
