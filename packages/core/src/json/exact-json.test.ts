import { describe, expect, it } from 'vitest';
import { RawNumber } from './exact-json.js';
import { rememberDocumentText, rememberExactText, rememberedDocumentText } from './exact-text.js';
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

// The fast paths (the engine's JSON.parse / JSON.stringify with placeholders for
// RawNumbers) must give exactly what the exact reader and writer give, whatever the
// strings hold: NUL, a literal \u0000, digits, quotes, placeholder look-alikes.
describe('exact JSON fast paths, generated documents', () => {
  const numbers = [
    '0',
    '-0',
    '1',
    '-17',
    '12.5',
    '12.50',
    '1.0',
    '100',
    '9007199254740993',
    '-9007199254740993',
    '123456789012345',
    '1234567890123456789012',
    '0.1000000000000000000001',
    '1E+2',
    '1e21',
    '1e+21',
    '2.5e-7',
    '14.0833333333333333',
  ];
  const strings = [
    '',
    'a',
    '12.50',
    '\u0000',
    '\u00000',
    '\\u0000',
    '\\u00000',
    '"\u00001"',
    'x\\',
    'é',
    '\u001f',
  ];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const gen = (depth: number): string => {
    const k = rnd(depth > 2 ? 4 : 6);
    if (k === 0) return numbers[rnd(numbers.length)] ?? '0';
    if (k === 1) return JSON.stringify(strings[rnd(strings.length)]);
    if (k === 2) return ['true', 'false', 'null'][rnd(3)] ?? 'null';
    if (k === 3) return String(rnd(1000));
    const n = rnd(4);
    const items = Array.from({ length: n }, (_, i) =>
      k === 4
        ? gen(depth + 1)
        : `${JSON.stringify(`${strings[rnd(strings.length)] ?? ''}${i}`)}:${gen(depth + 1)}`,
    );
    return k === 4 ? `[${items.join(',')}]` : `{${items.join(',')}}`;
  };

  it('prints every generated document back byte for byte', () => {
    for (let i = 0; i < 3000; i++) {
      const text = gen(0);
      expect(stringifyExact(parseExactJson(text))).toBe(text);
    }
  });

  it('keeps numbers raw next to strings that hold NUL or a literal \\u0000', () => {
    const text = '{"a":"\\u0000","b":12.50,"c":"\\\\u00000","d":[1.0,"\\u00001"]}';
    const v = parseExactJson(text);
    expect(v).toEqual({
      a: '\u0000',
      b: new RawNumber('12.50'),
      c: '\\u00000',
      d: [new RawNumber('1.0'), '\u00001'],
    });
    expect(stringifyExact(v)).toBe(text);
    expect(stringifyExact({ s: '\u00000', n: new RawNumber('1.10') }, 2)).toBe(
      '{\n  "s": "\\u00000",\n  "n": 1.10\n}',
    );
  });

  it('tells numbers from digits inside strings, whatever the escapes before a quote', () => {
    const text =
      '{"a\\\\":1.10,"b":"x\\"2.50","c\\\\\\"":[0,-0,-7,123456789012345,1234567890123456,1e400,-0.0],"d":"9.90"}';
    const v = parseExactJson(text);
    expect(v).toEqual({
      'a\\': new RawNumber('1.10'),
      b: 'x"2.50',
      'c\\"': [
        0,
        new RawNumber('-0'),
        -7,
        123456789012345,
        1234567890123456,
        new RawNumber('1e400'),
        new RawNumber('-0.0'),
      ],
      d: '9.90',
    });
    expect(stringifyExact(v)).toBe(text);
  });

  it('puts a raw number back under a __proto__ key as data', () => {
    for (const text of ['{"__proto__":1.0}', '{"__proto__":{"x":1.0}}', '[{"__proto__":[2.50]}]']) {
      const v = parseExactJson(text);
      expect(stringifyExact(v)).toBe(text);
      expect(Object.getPrototypeOf(Array.isArray(v) ? v[0] : v)).toBe(Object.prototype);
    }
  });

  it('refuses malformed numbers the engine would also refuse', () => {
    for (const bad of ['{"a":01.0}', '[1.]', '[.5]', '[1e]', '[-]', '[1.0', '{"a":1.0}x', '[1.0,]'])
      expect(() => parseExactJson(bad), bad).toThrow(/invalid JSON/);
  });

  it('leaves a RawNumber lossy only outside stringifyExact', () => {
    expect(JSON.stringify({ n: new RawNumber('1.10') })).toBe('{"n":1.1}');
  });
});

describe('remembered exact text', () => {
  it('writes a value as the text remembered for it, and a copy of it afresh', () => {
    const value = rememberExactText({ n: new RawNumber('1.10') }, '{"n":1.10}');
    expect(stringifyExact(value)).toBe('{"n":1.10}');
    expect(stringifyExact({ ...value })).toBe('{"n":1.10}');
    expect(stringifyExact({ ...value, m: 1 })).toBe('{"n":1.10,"m":1}');
    expect(stringifyExact(value, 2)).toBe('{\n  "n": 1.10\n}');
  });

  it('keeps a document text beside its holder, not beside a copy of it', () => {
    const holder = rememberDocumentText({ id: 'x' }, '{"a":1}');
    expect(rememberedDocumentText(holder)).toBe('{"a":1}');
    expect(rememberedDocumentText({ ...holder })).toBeUndefined();
  });
});
