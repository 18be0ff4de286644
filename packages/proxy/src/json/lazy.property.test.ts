// The lazy reader (containers past `eagerDepth` only scanned, read on touch)
// must be indistinguishable from the eager one: same bytes out, same values,
// same refusals, for any JSON and any mangled JSON.
import type { JsonValue } from '@flusso/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProxyError } from '../request/proxy-error.js';
import { emit } from './emit.js';
import { parseLossless } from './parse.js';
import { toPlain } from './plain.js';

const depths = fc.constantFrom(0, 1, 2, 3, Number.POSITIVE_INFINITY);
// Keys fast-check's JSON values often use: containers under them are scanned only.
const lazyKeys = fc.constantFrom(undefined, '', 'a', ' ', '_source');

/** The fully read value, or the refusal's rule. */
function outcome(
  text: string,
  eagerDepth: number,
  maxNesting = 1000,
): { value: JsonValue } | { rule: unknown } {
  try {
    return { value: toPlain(parseLossless(text, { eagerDepth, maxNesting })) };
  } catch (error) {
    if (!isProxyError(error, 'malformed_request')) throw error;
    return { rule: error.context.rule };
  }
}

const spaced = fc
  .tuple(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 1, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent));

describe('lazy lossless reading (property)', () => {
  it('emits any JSON byte for byte and reads the values JSON.parse reads, at any eager depth', () => {
    fc.assert(
      fc.property(spaced, depths, lazyKeys, (text, eagerDepth, lazyUnder) => {
        const node = parseLossless(text, { eagerDepth, ...(lazyUnder === undefined ? {} : { lazyUnder }) });
        expect(emit(node)).toBe(text.trim());
        expect(toPlain(node)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts and refuses mangled JSON exactly as the eager reader does', () => {
    const mangled = fc
      .tuple(
        spaced,
        fc.nat(),
        fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', 'x', '0', '-', '.', 'e'),
      )
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (at % 2));
      });
    fc.assert(
      fc.property(mangled, depths, (text, eagerDepth) => {
        const eager = outcome(text, Number.POSITIVE_INFINITY);
        const lazy = outcome(text, eagerDepth);
        expect('rule' in lazy).toBe('rule' in eager);
        if ('value' in eager) expect(lazy).toEqual(eager);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the nesting cap whether a container is read or only scanned', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        depths,
        (depth, cap, eagerDepth) => {
          const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
          const result = outcome(text, eagerDepth, cap);
          expect('rule' in result).toBe(depth > cap);
        },
      ),
    );
  });

  it('finds a duplicate key in a scanned container when it is read', () => {
    const node = parseLossless('{"a":{"b":1,"b":2}}', { eagerDepth: 1 });
    expect(() => toPlain(node)).toThrow();
    expect(() => parseLossless('{"a":1,"a":2}', { eagerDepth: 1 })).toThrow();
  });
});
