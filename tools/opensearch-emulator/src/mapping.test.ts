import { describe, expect, it } from 'vitest';
import { indexedSource, unsignedLongValue } from './mapping.js';

describe('unsigned_long values as indexed', () => {
  it('drops a decimal part and keeps values beyond 2^53 exact', () => {
    expect(unsignedLongValue('10223372036854775807.23')).toBe(10223372036854775807n);
    expect(unsignedLongValue('18446744073709551615')).toBe(18446744073709551615n);
    expect(unsignedLongValue(12.9)).toBe(12);
    expect(unsignedLongValue('42')).toBe(42);
    expect(unsignedLongValue('not a number')).toBe('not a number');
  });

  it('rewrites only unsigned_long fields (also inside objects and arrays), leaving the rest as is', () => {
    const props = {
      n: { type: 'unsigned_long' },
      l: { type: 'long' },
      o: { properties: { m: { type: 'unsigned_long' } } },
    };
    const source = { n: ['1.5', '2'], l: '3.5', o: { m: '7.9' }, x: 'y' };
    expect(indexedSource(props, source)).toEqual({ n: [1, 2], l: '3.5', o: { m: 7 }, x: 'y' });
    expect(source.n).toEqual(['1.5', '2']);
    const untouched = { l: 1, x: 'y' };
    expect(indexedSource(props, untouched)).toBe(untouched);
  });
});
