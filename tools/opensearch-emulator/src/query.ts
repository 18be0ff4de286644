// The query DSL subset flusso, osproxy and their tests use, evaluated over a
// document's _source: match_all, term(s), ids, match, match_phrase, range,
// exists, prefix, nested, bool (must/filter/should/must_not).

import { OsError } from './errors.js';
import { compareExact, compareValues, isExact } from './exact-numbers.js';
import { nestedDocs, nestedPath } from './nested.js';

export interface Hit {
  readonly id: string;
  readonly source: Record<string, unknown>;
}

type Q = Record<string, unknown>;

/** Every value at a dotted path, descending through arrays of objects. */
export function valuesAt(source: unknown, path: string): unknown[] {
  let current: unknown[] = [source];
  for (const part of path.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c && typeof c === 'object' && !Array.isArray(c) && part in (c as Q)) {
        const v = (c as Q)[part];
        if (Array.isArray(v)) next.push(...v);
        else next.push(v);
      }
    }
    current = next;
  }
  return current.filter((v) => v !== null && v !== undefined);
}

export function tokens(text: unknown): string[] {
  return String(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A field's values for a hit; `x.keyword` falls back to `x`'s source value (the multi-field convention). */
export function fieldValues(hit: Hit, field: string): unknown[] {
  if (field === '_id') return [hit.id];
  const direct = valuesAt(hit.source, field);
  if (direct.length > 0 || !field.endsWith('.keyword')) return direct;
  return valuesAt(hit.source, field.slice(0, -'.keyword'.length));
}

function single(q: unknown, what: string): [string, unknown] {
  const entries = Object.entries((q ?? {}) as Q);
  if (entries.length !== 1)
    throw new OsError(400, 'parsing_exception', `[${what}] query malformed, expected one field`);
  return entries[0] as [string, unknown];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return isExact(a) && isExact(b) ? compareExact(a, b) === 0 : String(a) === String(b);
  return a === b || String(a) === String(b);
}

const compare = compareValues;

function boolMatches(b: Q, hit: Hit): boolean {
  const list = (k: string) => (b[k] === undefined ? [] : Array.isArray(b[k]) ? (b[k] as unknown[]) : [b[k]]);
  if (!list('must').every((q) => matches(q, hit))) return false;
  if (!list('filter').every((q) => matches(q, hit))) return false;
  if (list('must_not').some((q) => matches(q, hit))) return false;
  const should = list('should');
  if (should.length === 0) return true;
  const hasRequired = list('must').length + list('filter').length > 0;
  const min = b.minimum_should_match === undefined ? (hasRequired ? 0 : 1) : Number(b.minimum_should_match);
  return should.filter((q) => matches(q, hit)).length >= min;
}

/** A boolean query parameter: OpenSearch also takes the text `"true"` / `"false"`. */
const flag = (v: unknown, fallback: boolean): boolean =>
  v === undefined || v === null ? fallback : v === true || v === 'true';

/**
 * A range query's bounds as OpenSearch's RangeQueryBuilder reads them: `gt`/`gte`/`lt`/`lte`,
 * or the older `from`/`to` with `include_lower`/`include_upper` (both default true); a null
 * bound is unbounded.
 */
export function rangeBounds(r: Q): {
  lower: unknown;
  upper: unknown;
  includeLower: boolean;
  includeUpper: boolean;
} {
  let lower: unknown = r.from ?? null;
  let upper: unknown = r.to ?? null;
  let includeLower = flag(r.include_lower, true);
  let includeUpper = flag(r.include_upper, true);
  if (r.gt !== undefined) [lower, includeLower] = [r.gt, false];
  if (r.gte !== undefined) [lower, includeLower] = [r.gte, true];
  if (r.lt !== undefined) [upper, includeUpper] = [r.lt, false];
  if (r.lte !== undefined) [upper, includeUpper] = [r.lte, true];
  return { lower: lower ?? null, upper: upper ?? null, includeLower, includeUpper };
}

/**
 * A Lucene regular expression (which matches the whole term) as a JavaScript one, for the
 * syntax both share: `.`, `?`, `*`, `+`, `{n,m}`, `[...]`, `|`, `(...)` and the `\d`, `\s`,
 * `\w` classes; a backslash before any other character makes it literal.
 */
export function luceneRegExp(pattern: string, caseInsensitive = false): RegExp {
  const source = pattern.replace(/\\(.)/g, (_, c: string) =>
    /[dDsSwW]/.test(c) ? `\\${c}` : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
  );
  return new RegExp(`^(?:${source})$`, caseInsensitive ? 'i' : '');
}

export function matches(query: unknown, hit: Hit): boolean {
  if (query === undefined || query === null) return true;
  if (typeof query !== 'object' || Array.isArray(query))
    throw new OsError(400, 'parsing_exception', '[_na] query malformed, must start with start_object');
  const [kind, body] = single(query, 'query');
  switch (kind) {
    case 'match_all':
      return true;
    case 'match_none':
      return false;
    case 'bool':
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new OsError(
          400,
          'parsing_exception',
          '[bool] query malformed, no start_object after query name',
        );
      return boolMatches(body as Q, hit);
    case 'term': {
      const [field, v] = single(body, 'term');
      const value = v && typeof v === 'object' ? (v as Q).value : v;
      return fieldValues(hit, field).some((x) => sameValue(x, value));
    }
    case 'terms': {
      const [field, values] = single(body, 'terms');
      if (!Array.isArray(values))
        throw new OsError(400, 'parsing_exception', '[terms] query requires an array');
      return fieldValues(hit, field).some((x) => values.some((v) => sameValue(x, v)));
    }
    case 'ids': {
      const values = (body as Q)?.values;
      if (!Array.isArray(values))
        throw new OsError(400, 'parsing_exception', '[ids] query requires [values]');
      return values.map(String).includes(hit.id);
    }
    case 'match':
    case 'match_phrase': {
      const [field, v] = single(body, kind);
      const text = v && typeof v === 'object' ? (v as Q).query : v;
      const wanted = tokens(text);
      const operator = v && typeof v === 'object' ? (v as Q).operator : 'or';
      const have = new Set(fieldValues(hit, field).flatMap(tokens));
      return kind === 'match_phrase' || operator === 'and'
        ? wanted.every((t) => have.has(t))
        : wanted.some((t) => have.has(t));
    }
    case 'prefix': {
      const [field, v] = single(body, 'prefix');
      const value = String(v && typeof v === 'object' ? (v as Q).value : v);
      return fieldValues(hit, field).some((x) => String(x).startsWith(value));
    }
    case 'range': {
      const [field, r] = single(body, 'range');
      const { lower, upper, includeLower, includeUpper } = rangeBounds(r as Q);
      return fieldValues(hit, field).some(
        (x) =>
          (lower === null || (includeLower ? compare(x, lower) >= 0 : compare(x, lower) > 0)) &&
          (upper === null || (includeUpper ? compare(x, upper) <= 0 : compare(x, upper) < 0)),
      );
    }
    case 'regexp': {
      const [field, v] = single(body, 'regexp');
      const spec = v && typeof v === 'object' ? (v as Q) : { value: v };
      const re = luceneRegExp(String(spec.value), spec.case_insensitive === true);
      return fieldValues(hit, field).some((x) => re.test(String(x)));
    }
    case 'exists':
      return fieldValues(hit, String((body as Q).field)).length > 0;
    case 'nested':
      // Within one nested object: two conditions must hold in the same object.
      return nestedDocs(hit.source, nestedPath(body, 'query')).some((n) =>
        matches((body as Q).query, { ...hit, source: n.source }),
      );
    case 'constant_score':
      if (!body || typeof body !== 'object' || (body as Q).filter === undefined)
        throw new OsError(400, 'parsing_exception', "[constant_score] requires a 'filter' element");
      return matches((body as Q).filter, hit);
    case 'simple_query_string':
    case 'query_string':
      return textQuery(body as Q, hit);
    default:
      throw new OsError(400, 'parsing_exception', `unknown query [${kind}]`);
  }
}

/** `simple_query_string`/`query_string` over words: `-word` excludes, `default_operator` joins. */
function textQuery(spec: Q, hit: Hit): boolean {
  if (!spec || typeof spec.query !== 'string')
    throw new OsError(400, 'parsing_exception', '[simple_query_string] requires a [query]');
  const fields = Array.isArray(spec.fields) ? spec.fields.map((f) => String(f).replace(/\^.*$/, '')) : ['*'];
  const have = new Set(
    fields.flatMap((f) => (f === '*' ? allValues(hit.source) : fieldValues(hit, f))).flatMap(tokens),
  );
  const words = spec.query.split(/\s+/).filter(Boolean);
  const excluded = words.filter((w) => w.startsWith('-')).flatMap(tokens);
  const wanted = words.filter((w) => !w.startsWith('-')).flatMap(tokens);
  if (excluded.some((t) => have.has(t))) return false;
  const and = String(spec.default_operator ?? 'or').toLowerCase() === 'and';
  return wanted.length === 0
    ? excluded.length > 0
    : and
      ? wanted.every((t) => have.has(t))
      : wanted.some((t) => have.has(t));
}

function allValues(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flatMap(allValues);
  if (v && typeof v === 'object') return Object.values(v).flatMap(allValues);
  return v === null || v === undefined ? [] : [v];
}

interface SortKey {
  readonly field: string;
  readonly desc: boolean;
  /** Which of a multi-valued field's values sorts: min ascending, max descending by default. */
  readonly mode: string;
}

function sortKeys(sort: unknown): SortKey[] {
  return (Array.isArray(sort) ? sort : [sort]).map((s) => {
    if (typeof s === 'string') return { field: s, desc: false, mode: 'min' };
    if (!s || typeof s !== 'object' || Array.isArray(s) || Object.keys(s).length !== 1)
      throw new OsError(
        400,
        'parsing_exception',
        '[sort] malformed: expected a field name or {field: order}',
      );
    const [field, spec] = Object.entries(s as Q)[0] as [string, unknown];
    const order = typeof spec === 'string' ? spec : (spec as Q)?.order;
    const mode = typeof spec === 'object' && spec !== null ? (spec as Q).mode : undefined;
    return {
      field,
      desc: order === 'desc',
      mode: typeof mode === 'string' ? mode : order === 'desc' ? 'max' : 'min',
    };
  });
}

/** Orders two sort values for one key: a missing value sorts last. */
function compareSortValue(k: SortKey, va: unknown, vb: unknown): number {
  const missingA = va === undefined || va === null;
  const missingB = vb === undefined || vb === null;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  const c = compare(va, vb);
  return k.desc ? -c : c;
}

/** A field's mapped type for a hit (hits of one search may come from several indices). */
export type SortTypeOf = (hit: Hit, field: string) => string | undefined;

const INTEGRAL = new Set(['long', 'integer', 'short', 'byte']);
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** A long as the emulator holds integers: a number when it is exact as one, else a bigint. */
const exactLong = (n: bigint): number | bigint =>
  n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;

/** Java's `Math.round(double)` to a long: half up, saturating at the long range. */
function javaRound(x: number): bigint {
  const r = BigInt(Math.floor(x + 0.5));
  return r < LONG_MIN ? LONG_MIN : r > LONG_MAX ? LONG_MAX : r;
}

/**
 * OpenSearch's `MultiValueMode` over a long field's (sorted) values: `sum` adds in 64-bit
 * arithmetic (it wraps on overflow), `avg` is `Math.round((double) sum / count)`, `median` of
 * an even count is `Math.round(((double) a + b) / 2)`.
 */
export function longSortMode(sorted: readonly bigint[], mode: string): number | bigint {
  const sum = BigInt.asIntN(
    64,
    sorted.reduce((a, b) => a + b, 0n),
  );
  if (mode === 'sum') return exactLong(sum);
  if (mode === 'avg') return exactLong(sorted.length > 1 ? javaRound(Number(sum) / sorted.length) : sum);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2) return exactLong(sorted[mid] as bigint);
  return exactLong(javaRound((Number(sorted[mid - 1]) + Number(sorted[mid])) / 2));
}

const toLong = (v: unknown): bigint =>
  typeof v === 'bigint' ? v : BigInt(Math.trunc(typeof v === 'number' ? v : Number(v)));

function sortValue(hit: Hit, key: SortKey, typeOf?: SortTypeOf): unknown {
  if (key.field === '_id') return hit.id;
  const values = fieldValues(hit, key.field);
  if (values.length <= 1) return values[0];
  const sorted = [...values].sort(compare);
  if (key.mode === 'min') return sorted[0];
  if (key.mode === 'max') return sorted[sorted.length - 1];
  const type = typeOf?.(hit, key.field);
  if (type !== undefined && INTEGRAL.has(type)) return longSortMode(sorted.map(toLong), key.mode);
  const ns = sorted.map(Number);
  const sum = ns.reduce((a, b) => a + b, 0);
  if (key.mode === 'sum') return sum;
  if (key.mode === 'avg') return sum / ns.length;
  const mid = Math.floor(ns.length / 2);
  return ns.length % 2 ? ns[mid] : ((ns[mid - 1] as number) + (ns[mid] as number)) / 2;
}

export function sortHits(hits: Hit[], sort: unknown, typeOf?: SortTypeOf): Hit[] {
  if (sort === undefined) return hits;
  const keys = sortKeys(sort).filter((k) => k.field !== '_score');
  return [...hits].sort((a, b) => {
    for (const k of keys) {
      const c = compareSortValue(k, sortValue(a, k, typeOf), sortValue(b, k, typeOf));
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Whether `hit` sorts strictly after the `search_after` values. */
export function sortsAfter(
  hit: Hit,
  sort: unknown,
  after: readonly unknown[],
  convert: (field: string, value: unknown) => unknown = (_, v) => v,
  typeOf?: SortTypeOf,
): boolean {
  const keys = sortKeys(sort);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as SortKey;
    if (k.field === '_score') continue;
    // A formatted value (a date as text) is read as the field reads it; numbers are sort values already.
    const a = after[i];
    // The substitute a missing value was shown as stands for "missing" (sorts last).
    const at = isMissingSubstitute(a)
      ? null
      : typeof a === 'string' && !/^-?\d+$/.test(a)
        ? convert(k.field, a)
        : a;
    const c = compareSortValue(k, convert(k.field, sortValue(hit, k, typeOf)), at);
    if (c !== 0) return c > 0;
  }
  return false;
}

/** The field names a sort spec sorts by, in order. */
export function sortFields(sort: unknown): string[] {
  return sortKeys(sort).map((k) => k.field);
}

const FLOATING = new Set(['double', 'float', 'half_float', 'scaled_float']);
const LONG_VALUED = new Set([...INTEGRAL, 'date', 'date_nanos']);

/**
 * The sort value OpenSearch shows for a document without the field (missing `_last`): the
 * comparator's substitute, `Long.MAX_VALUE`/`MIN_VALUE` for long-valued fields (integers and
 * dates), `±Infinity` for floating ones, the unsigned range's end for `unsigned_long`; `null`
 * for text. A client reads it back as a `search_after` value.
 */
function missingSortValue(type: string | undefined, desc: boolean): unknown {
  if (type === undefined) return null;
  if (LONG_VALUED.has(type)) return desc ? LONG_MIN : LONG_MAX;
  if (FLOATING.has(type)) return desc ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (type === 'unsigned_long') return desc ? 0 : 2n ** 64n - 1n;
  return null;
}

/** Whether a `search_after` value is the substitute OpenSearch shows for a missing value. */
function isMissingSubstitute(v: unknown): boolean {
  const text = String(v);
  return (
    text === String(LONG_MAX) ||
    text === String(LONG_MIN) ||
    text === 'Infinity' ||
    text === '-Infinity' ||
    text === String(2n ** 64n - 1n) ||
    (typeof v === 'number' && Math.abs(v) === 2 ** 63)
  );
}

export function sortValues(hit: Hit, sort: unknown, typeOf?: SortTypeOf): unknown[] | undefined {
  if (sort === undefined) return undefined;
  return sortKeys(sort).map((k) =>
    k.field === '_score'
      ? 1
      : (sortValue(hit, k, typeOf) ?? missingSortValue(typeOf?.(hit, k.field), k.desc)),
  );
}
