import { describe, expect, it } from 'vitest';
import { parseDate } from './date-formats.js';
import { applyMapping, indexedSource, unsignedLongValue } from './mapping.js';

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

describe('values a real cluster refuses', () => {
  const check = (type: string, value: unknown) => () => applyMapping({ f: { type } }, { f: value }, 'strict');

  it('takes only padded standard base64 in a binary field', () => {
    for (const ok of ['', '3q2+7w==', 'AAEC', 'AA EC\n'])
      expect(check('binary', ok), JSON.stringify(ok)).not.toThrow();
    for (const bad of ['\\xdeadbeef', '3q2-7w==', '3q2+7w', 'AAE', 1])
      expect(check('binary', bad), JSON.stringify(bad)).toThrow(
        /failed to parse field \[f\] of type \[binary\]/,
      );
  });

  it('reads strict_date_optional_time as Java does', () => {
    for (const ok of [
      '2024',
      '2024-01',
      '2024-01-02',
      '2024-01-02T03',
      '2024-01-02T03:04:05.123456789+05:30',
      '2024-01-02T03:04:05,5Z',
      '-0043-03-15',
      '+10000-01-01T00:00:00Z',
    ])
      expect(check('date', ok), ok).not.toThrow();
    for (const bad of [
      '1970-01-01T24:00:00Z',
      '2024-01-02 03:04:05',
      '2024-1-2',
      '10000-01-01',
      '+2024-01-01',
      '2024-02-30',
      '2024-01-02T03:04:05+19:00',
    ])
      expect(check('date', bad), bad).toThrow(/failed to parse field \[f\] of type \[date\]/);
    expect(parseDate('2024-01-02T03:04:05.5+01:00')).toBe(Date.UTC(2024, 0, 2, 2, 4, 5, 500));
  });
});
