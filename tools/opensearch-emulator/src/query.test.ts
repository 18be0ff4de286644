import { describe, expect, it } from 'vitest';
import { longSortMode, luceneRegExp, matches, rangeBounds, sortHits, sortValues } from './query.js';

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

describe('range and regexp queries', () => {
  const hit = { id: '1', source: { genre: 'd3efault' } };

  it('reads from/to with include_lower/include_upper (also as text), null as unbounded', () => {
    expect(rangeBounds({ from: 'a', include_lower: 'false' })).toEqual({
      lower: 'a',
      upper: null,
      includeLower: false,
      includeUpper: true,
    });
    expect(rangeBounds({ gt: 1, lte: 5 })).toEqual({
      lower: 1,
      upper: 5,
      includeLower: false,
      includeUpper: true,
    });
    const range = (r: Record<string, unknown>) => matches({ range: { genre: r } }, hit);
    expect(range({ from: 'd3efault', include_lower: 'false' })).toBe(false);
    expect(range({ from: 'd3efault', to: 'd3efault' })).toBe(true);
    expect(range({ to: 'd3efault', include_upper: false })).toBe(false);
    expect(range({ from: null, to: null })).toBe(true);
  });

  it('matches a Lucene regexp against the whole value', () => {
    expect(luceneRegExp('d.*').test('d3efault')).toBe(true);
    expect(luceneRegExp('d\\defau[a-z]?t').test('d3efault')).toBe(true);
    expect(luceneRegExp('d\\defa[a-z]?t').test('d3efault')).toBe(false);
    expect(luceneRegExp('a\\.b').test('a.b')).toBe(true);
    expect(luceneRegExp('a\\.b').test('axb')).toBe(false);
    expect(luceneRegExp('D3.*', true).test('d3efault')).toBe(true);
    expect(matches({ regexp: { genre: 'd3efa[a-z]{3,3}' } }, hit)).toBe(true);
    expect(matches({ regexp: { genre: { value: '3.*' } } }, hit)).toBe(false);
  });
});
