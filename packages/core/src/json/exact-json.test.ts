import { describe, expect, it } from 'vitest';
import { RawNumber } from './exact-json.js';
import { parseExactJson } from './parse-exact.js';
import { stringifyExact } from './stringify-exact.js';

describe('exact JSON', () => {
  it('keeps every digit of numbers a double cannot hold, byte for byte', () => {
    const text =
      '{"big":9007199254740993,"dec":0.1000000000000000000001,"n":12345678901234567890.1234567891,"e":1E+2,"z":-0,"s":12.50,"ok":[1,2.5,-3],"t":"a\\"b\\u00e9","o":{},"a":[],"b":true,"f":false,"x":null}';
    const parsed = parseExactJson(text);
    expect(stringifyExact(parsed)).toBe(text.replace('"t":"a\\"b\\u00e9"', '"t":"a\\"bé"'));
    expect(parsed).toMatchObject({ ok: [1, 2.5, -3], big: new RawNumber('9007199254740993') });
  });

  it('reads Postgres json text with spaces after keys', () => {
    expect(stringifyExact(parseExactJson('{"a" : 1, "b" : [ 1 , null ] }'))).toBe('{"a":1,"b":[1,null]}');
  });

  it('treats a __proto__ key as data', () => {
    const v = parseExactJson('{"__proto__":{"x":1}}');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(stringifyExact(v)).toBe('{"__proto__":{"x":1}}');
  });

  it('refuses malformed text with its offset', () => {
    expect(() => parseExactJson('{"a":01}')).toThrow(/offset/);
    expect(() => parseExactJson('[1,]')).toThrow(/offset 3/);
    expect(() => parseExactJson('{} x')).toThrow(/trailing/);
  });
});

describe('stringifyExact', () => {
  it('pretty-prints like JSON.stringify, numbers exact', () => {
    const v = { a: [1, { b: null }], c: {}, d: [], e: 'x' };
    expect(stringifyExact(v, 2)).toBe(JSON.stringify(v, null, 2));
    expect(stringifyExact(v)).toBe(JSON.stringify(v));
    expect(stringifyExact({ n: new RawNumber('1.10') }, 2)).toBe('{\n  "n": 1.10\n}');
  });
});
