import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProxyError } from '../request/proxy-error.js';
import { jString, withMember, withoutMembers } from './build.js';
import { emit } from './emit.js';
import { type JObject, member } from './node.js';
import { parseLossless } from './parse.js';
import { toPlain } from './plain.js';

function refusedRule(text: string, maxNesting?: number): unknown {
  try {
    parseLossless(text, maxNesting);
    return undefined;
  } catch (error) {
    if (!isProxyError(error, 'malformed_request')) throw error;
    return error.context.rule;
  }
}

describe('lossless JSON', () => {
  it('emits an untouched value exactly as it was written', () => {
    for (const text of [
      '{"snow":1234567890123456789,"f":1.0,"e":1e400,"z":-0,"s":"\\u00e9\\n","b":[true,false,null]}',
      ' { "a" : [ 1 , 2.50 ] , "b" : { } } ',
      '[]',
      '"x"',
      '-0.0e-0',
    ]) {
      expect(emit(parseLossless(text))).toBe(text.trim());
    }
  });

  it('keeps every untouched number, escape and key order around an edit', () => {
    const node = parseLossless('{"b":1.0,"a":{"n":1e400, "s":"\\u00e9"},"c":1234567890123456789}') as JObject;
    const edited = withoutMembers(withMember(node, 'x', jString('y')), new Set(['b']));
    expect(emit(edited)).toBe('{"a":{"n":1e400, "s":"\\u00e9"},"c":1234567890123456789,"x":"y"}');
    expect(emit(withMember(node, 'b', jString('z')))).toBe(
      '{"b":"z","a":{"n":1e400, "s":"\\u00e9"},"c":1234567890123456789}',
    );
  });

  it('decodes keys and strings for decisions', () => {
    const node = parseLossless('{"\\u0069d":"\\u0041"}');
    expect(toPlain(node)).toEqual({ id: 'A' });
    expect(member(node, 'id')).toMatchObject({ value: 'A', raw: '"\\u0041"' });
  });

  it('refuses duplicate keys (including ones spelled with escapes)', () => {
    expect(refusedRule('{"a":1,"a":2}')).toBe('duplicate_key');
    expect(refusedRule('{"a":1,"\\u0061":2}')).toBe('duplicate_key');
    expect(refusedRule('{"a":{"b":1},"c":{"b":2}}')).toBeUndefined();
  });

  it('refuses what is not JSON, naming a rule and an offset only', () => {
    for (const text of [
      '',
      '{',
      '{"a":}',
      '{"a":1,}',
      '[1,]',
      '01',
      '{"a":1}x',
      "{'a':1}",
      '"\u0001"',
      '"\\x"',
      'NaN',
    ]) {
      expect(refusedRule(text)).toBeTypeOf('string');
    }
  });

  it('refuses nesting past its cap without recursing, even 100 000 deep', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(refusedRule(deep)).toBe('nesting_too_deep');
    expect(refusedRule(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)).toBe('nesting_too_deep');
    expect(refusedRule('[[[1]]]', 3)).toBeUndefined();
    expect(refusedRule('[[[[1]]]]', 3)).toBe('nesting_too_deep');
  });

  it('writes a built string exactly as JSON.stringify does, any UTF-16 code units', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit }), (value) => {
        expect(emit(jString(value))).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });
});
