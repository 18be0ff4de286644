// Aggregations over the documents a search matched: bucket (terms, filter,
// filters, global) and metric (value_count, sum, min, max, avg, cardinality,
// top_hits), with sub-aggregations nesting to any depth. Response shapes follow
// OpenSearch 2.x; one shard, so counts are exact (doc_count_error_upper_bound 0).
import { OsError } from './errors.js';
import { compareExact, type Exact, isExact } from './exact-numbers.js';
import { DateValue, fieldType, termFilter } from './field-types.js';
import { keyOf, metric, valuesOf } from './metric-aggs.js';
import { nestedHits, nestedPath } from './nested.js';
import { PIPELINE, siblingPipelines } from './pipeline-aggs.js';
import { matches, sortHits } from './query.js';
import { type RenderableHit, type RenderOptions, renderHit } from './render-hit.js';
import { checkSignificantTermsSpec, significantTermsAgg } from './significant-terms.js';
import { multiTermsAgg, rareTermsAgg } from './term-buckets.js';
import { checkRegexIncludes } from './term-partitions.js';

type Q = Record<string, unknown>;

/** A hit as the search layer holds it; index and routing are needed to render top_hits. */
export type AggHit = RenderableHit;

/** Docs in scope: `matched` are the query's hits, `all` every doc of the searched indexes (for `global`). */
interface Scope {
  readonly matched: readonly AggHit[];
  readonly all: readonly AggHit[];
  /** The mapped type of a field in an index, so dates aggregate as dates. */
  readonly fieldType?: (index: string, field: string) => string | undefined;
  /** The index a hit comes from, so top_hits honours its `_source` mapping. */
  readonly indexOf?: RenderOptions['indexOf'];
}

// biome-ignore format: one line reads better
const BUCKET = new Set(['terms', 'multi_terms', 'rare_terms', 'filter', 'filters', 'global', 'nested', 'significant_terms']);
// biome-ignore format: one line reads better
const METRIC = new Set(['value_count', 'sum', 'min', 'max', 'avg', 'cardinality', 'top_hits', 'weighted_avg']);
const TERM_TYPES = new Set(['terms', 'rare_terms', 'significant_terms']);
const RESERVED = new Set(['aggs', 'aggregations', 'meta']);

/** The `aggs` (or `aggregations`) object a search body or bucket agg carries, if any. */
export function requestedAggs(body: Q): Q | undefined {
  const aggs = body.aggs ?? body.aggregations;
  return aggs && typeof aggs === 'object' ? (aggs as Q) : undefined;
}

const parsing = (reason: string, extra: Q = {}) => new OsError(400, 'parsing_exception', reason, extra);

/** The one aggregation type a definition names, e.g. `terms` in `{terms: {...}, aggs: {...}}`. */
function typeOf(name: string, def: unknown): string {
  if (!def || typeof def !== 'object' || Array.isArray(def))
    throw parsing(`Expected [START_OBJECT] under [${name}], but got a [${typeof def}] in [${name}]`);
  const types = Object.keys(def).filter((k) => !RESERVED.has(k));
  if (types.length === 0) throw parsing(`Missing definition for aggregation [${name}]`);
  if (types.length > 1)
    throw parsing(`Found two aggregation type definitions in [${name}]: [${types[0]}] and [${types[1]}]`);
  return types[0] as string;
}

/**
 * Checks the whole tree before any doc is looked at: OpenSearch rejects a bad
 * request while parsing, so an unknown type under an empty bucket still fails.
 */
export function validateAggs(aggs: Q, topLevel = true): void {
  for (const [name, def] of Object.entries(aggs)) {
    const type = typeOf(name, def);
    if (!BUCKET.has(type) && !METRIC.has(type) && !PIPELINE.has(type))
      throw parsing(`Unknown aggregation type [${type}]`, {
        caused_by: { type: 'named_object_not_found_exception', reason: `unknown field [${type}]` },
      });
    const sub = requestedAggs(def as Q);
    if (type === 'global' && !topLevel)
      throw new OsError(
        400,
        'aggregation_initialization_exception',
        `Aggregator [${name}] of type [global] cannot be a sub-aggregator`,
      );
    if (sub && METRIC.has(type))
      throw new OsError(
        400,
        'aggregation_initialization_exception',
        `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`,
      );
    checkFieldSpec(name, type, (def as Q)[type]);
    if (sub) validateAggs(sub, false);
  }
}

// biome-ignore format: one line reads better than eight
const NEEDS_FIELD = new Set(['terms', 'rare_terms', 'significant_terms', 'value_count', 'sum', 'min', 'max', 'avg', 'cardinality']);

/** Parse-time checks of one definition: a field (or script) where one is needed, sane thresholds. */
function checkFieldSpec(name: string, type: string, spec: unknown): void {
  const s = (spec ?? {}) as Q;
  if (NEEDS_FIELD.has(type) && s.field === undefined && s.script === undefined)
    throw new OsError(
      400,
      'illegal_argument_exception',
      'Required one of fields [field, script], but none were specified. ',
    );
  if (type === 'significant_terms') checkSignificantTermsSpec(s);
  if (type === 'cardinality' && s.precision_threshold !== undefined && Number(s.precision_threshold) < 0)
    throw parsing(
      `[precisionThreshold] must be greater than or equal to 0. Found [${String(s.precision_threshold)}] in [${name}]`,
    );
}

/** The `aggregations` object of a response: one result per requested name. */
export function aggregate(aggs: Q, scope: Scope): Q {
  const out: Q = {};
  for (const [name, def] of Object.entries(aggs)) {
    const type = typeOf(name, def);
    if (PIPELINE.has(type)) continue;
    const spec = ((def as Q)[type] ?? {}) as Q;
    const meta = (def as Q).meta;
    if (TERM_TYPES.has(type) && typeof spec.field === 'string')
      checkRegexIncludes(name, spec, fieldTypes(scope, spec.field));
    out[name] = { ...(meta === undefined ? {} : { meta }), ...one(type, spec, def as Q, scope) };
  }
  return { ...out, ...siblingPipelines(aggs, out, typeOf) };
}

/** The mapped types of a field across the searched indexes. */
function fieldTypes(scope: Scope, field: string): (string | undefined)[] {
  const indexes = new Set(scope.all.map((h) => h.index));
  return [...indexes].map((i) => scope.fieldType?.(i, field));
}

function one(type: string, spec: Q, def: Q, scope: Scope): Q {
  // A bucket's result carries its sub-aggregations beside doc_count.
  const bucket = (docs: readonly AggHit[]): Q => {
    const sub = requestedAggs(def);
    return {
      doc_count: docs.length,
      ...(sub ? aggregate(sub, { ...scope, matched: docs }) : {}),
    };
  };
  switch (type) {
    case 'global':
      return bucket(scope.all);
    case 'nested':
      // One bucket of the nested objects at `path` of the matched docs.
      return bucket(nestedHits(scope.matched, nestedPath(spec, 'aggregation')));
    case 'filter':
      // The body of `filter` is the query itself.
      return bucket(scope.matched.filter((h) => matches(spec, h)));
    case 'filters':
      return filtersAgg(spec, scope.matched, bucket);
    case 'terms':
      return termsAgg(spec, scope.matched, bucket, scope);
    case 'multi_terms':
      return multiTermsAgg(
        spec,
        scope.matched,
        bucket,
        (h, t) => valuesOf(h, t, type, scope.fieldType),
        scope.all,
      );
    case 'rare_terms':
      return rareTermsAgg(spec, scope.matched, bucket, (h, t) => valuesOf(h, t, type, scope.fieldType));
    case 'significant_terms':
      return significantTermsAgg({
        spec,
        foreground: scope.matched,
        all: scope.all,
        values: (h) => valuesOf(h, spec, type, scope.fieldType),
        text: fieldTypes(scope, String(spec.field)).includes('text'),
        filter: termFilter(spec),
        bucket,
      });
    case 'top_hits':
      return topHits(spec, scope.matched, scope.indexOf);
    default:
      return metric(type, spec, scope.matched);
  }
}

function compareKeys(a: string | Exact, b: string | Exact): number {
  if (isExact(a) && isExact(b)) return compareExact(a, b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

type Bucket = Q & { key: string | Exact; doc_count: number };

function termsAgg(spec: Q, docs: readonly AggHit[], bucket: (d: readonly AggHit[]) => Q, scope: Scope): Q {
  const types = scope.fieldType;
  const groups = new Map<string | number | bigint, { docs: AggHit[]; bool: boolean; text?: string }>();
  // min_doc_count 0 also shows the terms of docs the query did not match, with count 0.
  if (Number(spec.min_doc_count) === 0)
    for (const h of scope.all)
      for (const v of valuesOf(h, spec, 'terms', types).filter(termFilter(spec)))
        if (!groups.has(keyOf(v)))
          groups.set(keyOf(v), {
            docs: [],
            bool: typeof v === 'boolean',
            ...(v instanceof DateValue ? { text: v.toString() } : {}),
          });
  for (const h of docs) {
    const raw = valuesOf(h, spec, 'terms', types).filter(termFilter(spec));
    // A doc counts once per distinct value, however often the value repeats in it.
    for (const v of new Map(raw.map((r) => [keyOf(r), r]))) {
      const text = v[1] instanceof DateValue ? v[1].toString() : undefined;
      const g = groups.get(v[0]) ?? { docs: [], bool: typeof v[1] === 'boolean', ...(text ? { text } : {}) };
      g.docs.push(h);
      groups.set(v[0], g);
    }
  }
  const minCount = Number(spec.min_doc_count ?? 1);
  const buckets: Bucket[] = [...groups]
    .filter(([, g]) => g.docs.length >= minCount)
    .map(([key, g]) => ({
      key,
      ...(g.bool ? { key_as_string: key === 1 ? 'true' : 'false' } : {}),
      ...(g.text === undefined ? {} : { key_as_string: g.text }),
      ...bucket(g.docs),
    })) as Bucket[];
  buckets.sort(bucketOrder(spec.order));
  const size = Number(spec.size ?? 10);
  const shown = buckets.slice(0, size);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: buckets.slice(size).reduce((n, b) => n + b.doc_count, 0),
    buckets: shown,
  };
}

/** `order`: `_count`, `_key` (or the old `_term`) or a single-value sub-agg; ties break by key asc. */
function bucketOrder(order: unknown): (a: Bucket, b: Bucket) => number {
  const list = order === undefined ? [{ _count: 'desc' }] : Array.isArray(order) ? order : [order];
  const keys = (list as Q[]).flatMap((o) => Object.entries(o)) as [string, string][];
  const sortKey = (b: Bucket, k: string): Exact | string => {
    if (k === '_count') return b.doc_count;
    if (k === '_key' || k === '_term') return b.key;
    const [name, prop] = k.split('.') as [string, string | undefined];
    const sub = b[name] as Q | undefined;
    return Number((prop ? sub?.[prop] : (sub?.value ?? sub?.doc_count)) ?? Number.NEGATIVE_INFINITY);
  };
  return (a, b) => {
    for (const [k, dir] of keys) {
      const c = compareKeys(sortKey(a, k), sortKey(b, k));
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return compareKeys(a.key, b.key);
  };
}

function filtersAgg(spec: Q, docs: readonly AggHit[], bucket: (d: readonly AggHit[]) => Q): Q {
  const filters = spec.filters;
  const queries = Array.isArray(filters) ? filters : Object.values((filters ?? {}) as Q);
  const inAny = (h: AggHit) => queries.some((q) => matches(q, h));
  const other = spec.other_bucket === true || spec.other_bucket_key !== undefined;
  const otherKey = String(spec.other_bucket_key ?? '_other_');
  if (Array.isArray(filters)) {
    // Anonymous filters answer an array of buckets, in request order.
    const buckets = filters.map((q) => bucket(docs.filter((h) => matches(q, h))));
    if (other) buckets.push(bucket(docs.filter((h) => !inAny(h))));
    return { buckets };
  }
  // Named filters answer an object keyed by name; OpenSearch sorts the names.
  const entries = Object.entries((filters ?? {}) as Q).sort(([a], [b]) => compareKeys(a, b));
  const buckets: Q = {};
  for (const [key, q] of entries) buckets[key] = bucket(docs.filter((h) => matches(q, h)));
  if (other) buckets[otherKey] = bucket(docs.filter((h) => !inAny(h)));
  return { buckets };
}

/** top_hits renders hits like the search itself: `size` (3), `from`, `sort` and `_source` filtering. */
function topHits(spec: Q, docs: readonly AggHit[], indexOf: Scope['indexOf']): Q {
  const from = Number(spec.from ?? 0);
  const size = Number(spec.size ?? 3);
  const sorted = sortHits([...docs], spec.sort, (h, field) =>
    fieldType(indexOf?.((h as AggHit).index), field),
  ) as AggHit[];
  const hits = sorted.slice(from, from + size).map((h) => renderHit(h, spec, indexOf ? { indexOf } : {}));
  return {
    hits: {
      total: { value: docs.length, relation: 'eq' },
      max_score: hits.length && !spec.sort ? 1 : null,
      hits,
    },
  };
}
