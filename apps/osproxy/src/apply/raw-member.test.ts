import { describe, expect, it } from 'vitest';
import { rawElements, rawMember } from './raw-member.js';

describe('rawMember', () => {
  it('slices a member exactly as written, numbers untouched', () => {
    const text =
      '{"opId":"a","body":{"n":12345678901234567890,"f":0.10000000000000000001,"s":"}\\"{"},"epoch":3}';
    expect(rawMember(text, 'body')).toBe('{"n":12345678901234567890,"f":0.10000000000000000001,"s":"}\\"{"}');
    expect(rawMember(text, 'epoch')).toBe('3');
    expect(rawMember(text, 'opId')).toBe('"a"');
  });

  it('reads scalars, arrays and null members, with whitespace around them', () => {
    const text = ' { "a" : [1, [2], {"b": "]"}] , "body" : null , "z": -1.5e300 } ';
    expect(rawMember(text, 'a')).toBe('[1, [2], {"b": "]"}]');
    expect(rawMember(text, 'body')).toBe('null');
    expect(rawMember(text, 'z')).toBe('-1.5e300');
  });

  it('is undefined for a missing member or text that does not scan', () => {
    expect(rawMember('{"a":1}', 'body')).toBeUndefined();
    expect(rawMember('[1]', 'body')).toBeUndefined();
    expect(rawMember('{"body":{"a":1', 'body')).toBeUndefined();
    expect(rawMember('{"body":"open', 'body')).toBeUndefined();
  });
});

describe('rawElements', () => {
  it('slices each element of an array as written', () => {
    expect(rawElements('[ {"_version":9007199254740993}, [1,2] ,"x" ]')).toEqual([
      '{"_version":9007199254740993}',
      '[1,2]',
      '"x"',
    ]);
    expect(rawElements('[]')).toEqual([]);
    expect(rawElements('[1,')).toBeUndefined();
  });
});
