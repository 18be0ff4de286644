// `multi_terms` (a bucket per combination of the listed fields' values) and
// `rare_terms` (the least frequent values, up to `max_doc_count`), over the
// same field reading as `terms`.
import { compareExact, isExact, valueKey } from './exact-numbers.js';
import { DateValue, termFilter } from './field-types.js';
import type { Hit } from './query.js';

type Q = Record<string, unknown>;
type Values = (hit: Hit, spec: Q) => unknown[];
type BucketOf<H> = (docs: readonly H[]) => Q;

function keyOf(v: unknown): string | number | bigint | boolean {
  if (v instanceof DateValue) return v.toString();
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : String(v);
}

function cmp(a: unknown, b: unknown): number {
  if (isExact(a) && isExact(b)) return compareExact(a, b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function cmpKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>(
    (acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])),
    [[]],
  );
}

type Bucket = Q & { key: unknown[]; doc_count: number };

function orderOf(order: unknown): (a: Bucket, b: Bucket) => number {
  const list = order === undefined ? [{ _count: 'desc' }] : Array.isArray(order) ? order : [order];
  const keys = (list as Q[]).flatMap((o) => Object.entries(o)) as [string, string][];
  const value = (b: Bucket, k: string): number => {
    if (k === '_count') return b.doc_count;
    const [name, prop] = k.split('.') as [string, string | undefined];
    const sub = b[name] as Q | undefined;
    return Number((prop ? sub?.[prop] : sub?.value) ?? Number.NEGATIVE_INFINITY);
  };
  return (a, b) => {
    for (const [k, dir] of keys) {
      const c = k === '_key' ? cmpKeys(a.key, b.key) : value(a, k) - value(b, k);
      if (c !== 0) return dir === 'asc' ? c : -c;
    }
    return cmpKeys(a.key, b.key);
  };
}

export function multiTermsAgg<H extends Hit>(
  spec: Q,
  docs: readonly H[],
  bucket: BucketOf<H>,
  values: Values,
  all: readonly H[] = [],
): Q {
  const terms = (Array.isArray(spec.terms) ? spec.terms : []) as Q[];
  const groups = new Map<string, { key: unknown[]; docs: H[] }>();
  const min = Number(spec.min_doc_count ?? 1);
  const keysOf = (h: H) =>
    product(terms.map((t) => [...new Map(values(h, t).map((v) => [valueKey(keyOf(v)), keyOf(v)])).values()]));
  // min_doc_count 0 also shows the combinations of docs the query did not match, with count 0.
  if (min === 0)
    for (const h of all)
      for (const key of keysOf(h)) {
        const id = key.map(valueKey).join('|');
        if (!groups.has(id)) groups.set(id, { key, docs: [] });
      }
  for (const h of docs) {
    for (const key of keysOf(h)) {
      const id = key.map(valueKey).join('|');
      const g = groups.get(id) ?? { key, docs: [] };
      g.docs.push(h);
      groups.set(id, g);
    }
  }
  const buckets = [...groups.values()]
    .filter((g) => g.docs.length >= min)
    .map(
      (g) =>
        ({ key: g.key, key_as_string: g.key.map(String).join('|'), ...bucket(g.docs) }) as unknown as Bucket,
    )
    .sort(orderOf(spec.order));
  const size = Number(spec.size ?? 10);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: buckets.slice(size).reduce((n, b) => n + b.doc_count, 0),
    buckets: buckets.slice(0, size),
  };
}

export function rareTermsAgg<H extends Hit>(
  spec: Q,
  docs: readonly H[],
  bucket: BucketOf<H>,
  values: Values,
): Q {
  const groups = new Map<string, { key: unknown; docs: H[] }>();
  for (const h of docs)
    for (const v of new Map(
      values(h, spec)
        .filter(termFilter(spec))
        .map((x) => [valueKey(keyOf(x)), x]),
    ).values()) {
      const id = valueKey(keyOf(v));
      const g = groups.get(id) ?? { key: v, docs: [] };
      g.docs.push(h);
      groups.set(id, g);
    }
  const max = Number(spec.max_doc_count ?? 1);
  const buckets = [...groups.values()]
    .filter((g) => g.docs.length <= max)
    .sort((a, b) => a.docs.length - b.docs.length || cmp(keyOf(a.key), keyOf(b.key)))
    .map((g) => {
      if (g.key instanceof DateValue)
        return { key: g.key.millis, key_as_string: g.key.toString(), ...bucket(g.docs) };
      const key = keyOf(g.key);
      return typeof key === 'boolean'
        ? { key: key ? 1 : 0, key_as_string: String(key), ...bucket(g.docs) }
        : { key, ...bucket(g.docs) };
    });
  return { buckets };
}
