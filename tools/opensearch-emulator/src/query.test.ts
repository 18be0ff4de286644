import { describe, expect, it } from 'vitest';
import { longSortMode, sortHits, sortValues } from './query.js';

const LONG_MAX = 9223372036854775807n;

describe('sort modes over long fields (OpenSearch MultiValueMode)', () => {
  it('sums in 64-bit arithmetic, wrapping on overflow', () => {
    expect(longSortMode([1n, LONG_MAX], 'sum')).toBe(-9223372036854775808n);
    expect(longSortMode([-2n, -1n, 5n, 2147483648n], 'sum')).toBe(2147483650);
  });

  it('averages as Math.round((double) sum / count)', () => {
    expect(longSortMode([1n, LONG_MAX], 'avg')).toBe(-4611686018427387904n);
    expect(longSortMode([2n, 922337203685477777n], 'avg')).toBe(461168601842738880n);
    expect(longSortMode([-2n, -1n, 5n, 2147483648n], 'avg')).toBe(536870913);
    expect(longSortMode([3n, 4n, 2147483647n], 'avg')).toBe(715827885);
  });

  it('takes the median of an even count through doubles', () => {
    expect(longSortMode([1n, LONG_MAX], 'median')).toBe(4611686018427387904n);
    expect(longSortMode([-2n, -1n, 5n, 2147483648n], 'median')).toBe(2);
    expect(longSortMode([3n, 4n, 2147483647n], 'median')).toBe(4);
  });

  it('applies to long-typed fields only: a double field averages in doubles', () => {
    const hits = [
      { id: 'a', source: { f: [1, 2] } },
      { id: 'b', source: { f: [1, 1] } },
    ];
    const sort = [{ f: { mode: 'avg', order: 'asc' } }];
    const long = () => 'long';
    const double = () => 'double';
    expect(sortValues(hits[0] as (typeof hits)[0], sort, long)).toEqual([2]);
    expect(sortValues(hits[0] as (typeof hits)[0], sort, double)).toEqual([1.5]);
    expect(sortHits(hits, sort, long).map((h) => h.id)).toEqual(['b', 'a']);
  });
});
