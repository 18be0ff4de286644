// Numbers as a document holds them: integers beyond 2^53 stay bigint so sort
// values, terms keys and comparisons do not round them; everything else is a number.

export type Exact = number | bigint;

export const isExact = (v: unknown): v is Exact => typeof v === 'number' || typeof v === 'bigint';

/** Orders two numbers exactly (bigint against bigint), mixed kinds as doubles. */
export function compareExact(a: Exact, b: Exact): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Field values ordered as OpenSearch compares them: numbers, then dates, then text. */
export function compareValues(a: unknown, b: unknown): number {
  const nb = isExact(b) ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : Number.NaN;
  if (isExact(a) && (typeof nb === 'bigint' || !Number.isNaN(nb))) return compareExact(a, nb);
  const da = Date.parse(String(a));
  const db = Date.parse(String(b));
  if (!Number.isNaN(da) && !Number.isNaN(db) && Number.isNaN(Number(a))) return da - db;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A Map key for a value that keeps bigint and number keys apart from strings. */
export function valueKey(v: unknown): string {
  if (typeof v === 'bigint') return `n:${v}`;
  if (typeof v === 'number') return `n:${v}`;
  return `${typeof v}:${String(v)}`;
}
