// The byte splices of a request body against the tree path they stand in for:
// for generated bodies (large and odd numbers, escapes, unicode, whitespace in
// and between members, a query or none), the splice either writes exactly the
// tree path's bytes or leaves the body to it; and on a compact ASCII body it
// always answers (so the fast path is the one the bench's bodies take).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeNode, type ReadBody, readObjectBody } from '../json/body.js';
import { jObject, jString, memberOf } from '../json/build.js';
import type { JObject } from '../json/node.js';
import { spliceBytes } from '../json/splice-bytes.js';
import { partitionFilter, wrapQuery } from './query-wrap.js';
import { injectBytes, injectText, wrapQueryBytes, wrapText } from './wrap-bytes.js';

const ws = fc.oneof({ weight: 6, arbitrary: fc.constant('') }, fc.constantFrom(' ', '\n', '\t '));
const number = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom('1234567890123456789', '1.0', '1e400', '-0', '9007199254740993', '2.5E-3'),
);
const asciiString = fc.constantFrom('""', '"x"', '"a b"', '"\\u0041"', '"a\\"b"', '"\\ud83d\\ude00"');
const otherString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 4 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"é"', '"\u{1f600}"'),
);

/** JSON values; `ascii` keeps them to ASCII text (escapes allowed). */
function values(ascii: boolean): fc.Arbitrary<string> {
  const strings = ascii ? asciiString : fc.oneof(asciiString, otherString);
  const scalar = fc.oneof(number, strings, fc.constantFrom('true', 'false', 'null'));
  return fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc
        .tuple(fc.array(tie('value'), { maxLength: 3 }), ws)
        .map(([items, w]) => `[${w}${items.join(`${w},`)}]`),
      fc
        .tuple(fc.uniqueArray(fc.constantFrom('a', 'b', 'term', 'n'), { maxLength: 3 }), tie('value'), ws)
        .map(([keys, v, w]) => `{${keys.map((k) => `"${k}"${w}:${v}`).join(',')}}`),
    ),
  })).value;
}

const asciiKey = fc.constantFrom(
  'query',
  'size',
  'from',
  'sort',
  '_source',
  'aggs',
  'x',
  '"q\\u0075ery"',
  'a b',
);
const anyKey = fc.oneof({ weight: 6, arbitrary: asciiKey }, fc.constantFrom('ü', '"\\u00fc"'));
const keyText = (k: string) => (k.startsWith('"') ? k : JSON.stringify(k));
// Keys that decode alike are duplicates (the reader refuses them): one of each.
const decoded = (k: string) => JSON.parse(keyText(k)) as string;

/** A top-level object's text; `compact`: ASCII, no whitespace at the top level (the splice's case). */
function objectText(compact: boolean): fc.Arbitrary<string> {
  const gap = compact ? fc.constant('') : ws;
  const value = values(compact);
  return fc
    .record({
      keys: fc.uniqueArray(compact ? asciiKey : anyKey, { maxLength: 5, selector: decoded }),
      values: fc.array(value, { minLength: 5, maxLength: 5 }),
      query: fc.oneof(value, fc.constant('{"match":{"msg":"x"}}')),
      // One gap per place whitespace may go: around, after `{`, and around each key's `:` and `,`.
      gaps: fc.array(gap, { minLength: 18, maxLength: 18 }),
    })
    .map(({ keys, values, query, gaps }) => {
      const g = (i: number) => gaps[i] ?? '';
      const members = keys.map(
        (k, i) =>
          `${keyText(k)}${g(3 * i + 3)}:${g(3 * i + 4)}${decoded(k) === 'query' ? query : values[i]}${g(3 * i + 5)}`,
      );
      return `${g(0)}{${g(1)}${members.join(',')}}${g(2)}`;
    });
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
// Compared as text with invalid sequences kept visible: lone surrogates are written as EF BF BD.
const utf8Text = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function read(text: string, eagerDepth?: number): ReadBody<JObject> {
  const out = readObjectBody(bytesOf(text), eagerDepth);
  if (out === null) throw new Error('generated an empty body');
  return out;
}

const filters = [
  partitionFilter({ terms: { _tenant: 'acme' } }),
  partitionFilter({ terms: { _tenant: 'bench', _index_name: 'orders' } }),
  partitionFilter({ terms: { _tenant: 'ténant "q"' } }),
];
type Filter = (typeof filters)[number];

describe('query wrap on the body bytes', () => {
  it('writes the tree path bytes or leaves the body to it', () => {
    fc.assert(
      fc.property(fc.boolean().chain(objectText), fc.constantFrom(...filters), (text, filter) => {
        const r = read(text);
        const spliced = wrapQueryBytes(r, wrapText(filter));
        if (spliced !== undefined)
          expect(utf8Text(spliced)).toBe(utf8Text(encodeNode(wrapQuery(r.node, filter), r)));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for every compact ASCII body whose query is absent or a container', () => {
    fc.assert(
      fc.property(objectText(true), (text) => {
        const r = read(text);
        const query = r.node.members.find((m) => m.key === 'query')?.value;
        if (query !== undefined && query.t !== 'o' && query.t !== 'a') return;
        expect(wrapQueryBytes(r, wrapText(filters[0] as Filter))).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps 1234567890123456789, 1.0, 1e400 and -0 as sent inside the wrapped query', () => {
    const text =
      '{"query":{"range":{"n":{"gte":1234567890123456789,"lte":1e400}}},"size":-0,"min_score":1.0}';
    const spliced = wrapQueryBytes(read(text), wrapText(filters[1] as Filter));
    expect(new TextDecoder().decode(spliced)).toBe(
      '{"query":{"bool":{"must":[{"range":{"n":{"gte":1234567890123456789,"lte":1e400}}}],' +
        '"filter":[{"term":{"_tenant":"bench"}},{"term":{"_index_name":"orders"}}]}},"size":-0,"min_score":1.0}',
    );
  });

  it('never splices a body with bytes that are not UTF-8: reading it refuses it', () => {
    const bytes = Uint8Array.from([...bytesOf('{"query":{"term":{"a":"'), 0xff, ...bytesOf('"}}}')]);
    expect(() => readObjectBody(bytes)).toThrowError(expect.objectContaining({ code: 'malformed_request' }));
  });

  it('leaves a body with whitespace between top-level members to the tree path', () => {
    expect(wrapQueryBytes(read('{"query":{"match_all":{}}, "size":1}'), wrapText(filters[0] as Filter))).toBe(
      undefined,
    );
  });
});

const injected = fc.constantFrom(
  [memberOf('_tenant', jString('acme'))],
  [memberOf('_tenant', jString('bench')), memberOf('_index_name', jString('orders'))],
  [memberOf('_tenant', jString('ténant\n'))],
  [],
);

describe('injected fields on the document bytes', () => {
  it('writes the tree path bytes or leaves the document to it', () => {
    fc.assert(
      fc.property(fc.boolean().chain(objectText), injected, (text, members) => {
        const r = read(text, 1);
        const spliced = injectBytes(r, injectText(members));
        if (spliced !== undefined) {
          expect(utf8Text(spliced)).toBe(utf8Text(encodeNode(jObject([...r.node.members, ...members]), r)));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for every compact ASCII document', () => {
    fc.assert(
      fc.property(objectText(true), injected, (text, members) => {
        expect(injectBytes(read(text, 1), injectText(members))).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('appends to a document sent compact, numbers as sent', () => {
    const members = [memberOf('_tenant', jString('acme'))];
    const spliced = injectBytes(
      read('{"n":1234567890123456789,"p":1.0,"h":1e400,"z":-0}', 1),
      injectText(members),
    );
    expect(new TextDecoder().decode(spliced)).toBe(
      '{"n":1234567890123456789,"p":1.0,"h":1e400,"z":-0,"_tenant":"acme"}',
    );
  });

  it('fills an empty document', () => {
    const spliced = injectBytes(read('{}', 1), injectText([memberOf('_tenant', jString('acme'))]));
    expect(new TextDecoder().decode(spliced)).toBe('{"_tenant":"acme"}');
  });
});

describe('splicing bytes', () => {
  it('refuses inserts out of order rather than leave bytes of the output unwritten', () => {
    const source = bytesOf('{"a":1}');
    const x = bytesOf('x');
    expect(() =>
      spliceBytes(source, [
        { at: 5, bytes: x },
        { at: 2, bytes: x },
      ]),
    ).toThrow(RangeError);
    expect(() => spliceBytes(source, [{ at: 8, bytes: x }])).toThrow(RangeError);
    expect(
      new TextDecoder().decode(
        spliceBytes(source, [
          { at: 0, bytes: x },
          { at: 7, bytes: x },
        ]),
      ),
    ).toBe('x{"a":1}x');
  });
});
