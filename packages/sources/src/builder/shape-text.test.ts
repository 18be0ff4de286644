// The text shaper against the old path (parse exactly, coerceDocument, stringify
// exactly) on generated Postgres-style document texts: every field kind, every
// scalar type, the values the coercion rewrites, escapes, spaces and newlines as
// Postgres prints them, and texts that are not the shape the SQL promises.
import type { Field, IndexSchema, ScalarType } from '@flusso/core';
import { parseExactJson, scalarTypes, stringifyExact } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { scalarDescriptors } from '../types/scalar-descriptors.js';
import { ValueNoteCounter } from '../types/value-notes.js';
import { coerceDocument } from './coerce.js';
import { fidelitySchema } from './fidelity.fixture.js';
import { TextShaper } from './shape-text.js';
import { usersSchema } from './shop.fixture.js';
import { CANONICAL, STRINGS_AS_IS, textPlans } from './text-plan.js';

const oldPath = (fields: readonly Field[], text: string) => {
  const notes = new ValueNoteCounter();
  const doc = coerceDocument(fields, parseExactJson(text) as never, notes);
  return { text: stringifyExact(doc), notes: notes.snapshot() };
};

const shaped = (fields: readonly Field[], text: string) => {
  const plans = textPlans(fields);
  if (plans === null) return null;
  const notes = new ValueNoteCounter();
  const out = new TextShaper(plans).shape(text, notes);
  return out === null ? null : { text: out, notes: notes.snapshot() };
};

let seed = 11;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor((seed / 2147483648) * n);
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;

const numbers = [
  '0',
  '-0',
  '7',
  '-17',
  '12.50',
  '1.0',
  '1.05',
  '9007199254740993',
  '1E+400',
  '2.5e-7',
  '0.1',
  '-0.0',
  '1e5',
];
const strings = [
  '',
  'a b',
  'Ada@Example.COM ',
  '  x  ',
  'é',
  '日本 ü',
  '😀 astral',
  'NaN',
  'Infinity',
  '-Infinity',
  't',
  'true',
  '12.50',
  '2024-01-02',
  '0044-03-15 BC',
  'infinity',
  '-infinity',
  '2024-01-02T03:04:05.123456+00:00',
  '2024-01-02T03:04:05',
  '13:45:56+02',
  '0001-01-01T00:00:00 BC',
  '12345-01-01',
  '0999-12-31',
  '2024-01-02T03:04:05+05:30',
  '2024-01-02T03:04:05.5-08:00',
  '2024-01-02T03:04:05+05:30:15',
];
// Escapes, and raw lone surrogates (Postgres never prints one; the old path escapes it).
const escaped = [
  '"a\\"b"',
  '"\\u00e9"',
  '"x\\\\"',
  '"\\/"',
  '"tab\\tnl\\n"',
  '"\\u0000"',
  '"lone \ud800 high"',
  '"lone \udc00 low"',
];
const freeJson = [
  '{"b": 1, "2": [1, 2.50], "a" : {"x": null}}',
  '{"a":1,"a":2}',
  '[1, "x", {"__proto__": 1.0}]',
  '{"n": 1E+400}',
  '"just text"',
  '12.50',
];

const sp = () => pick(['', ' ', ' ', '\n ', '  ']);

function scalarText(depth = 0): string {
  const k = rnd(depth > 0 ? 5 : 7);
  if (k === 0) return 'null';
  if (k === 1) return pick(numbers);
  if (k === 2) return JSON.stringify(pick(strings));
  if (k === 3) return pick(escaped);
  if (k === 4) return pick(['true', 'false']);
  if (k === 5) return `[${Array.from({ length: rnd(4) }, () => scalarText(depth + 1)).join(`,${sp()}`)}]`;
  return `[${Array.from({ length: rnd(3) }, () => `[${scalarText(1)}, ${scalarText(1)}]`).join(', ')}]`;
}

function objectText(fields: readonly Field[]): string {
  const parts: string[] = [];
  for (const f of fields) {
    if (f.kind === 'constant') continue;
    parts.push(`"${f.name}"${sp()}:${sp()}${valueText(f)}`);
  }
  return `{${parts.join(`,${sp()}`)}}`;
}

function valueText(f: Field): string {
  if (rnd(12) === 0) return pick(freeJson); // anything at all, where the SQL never puts it
  switch (f.kind) {
    case 'scalar':
      return f.type === 'json' || f.type === 'custom' ? pick(freeJson) : scalarText();
    case 'object':
      return objectText(f.fields);
    case 'join':
      if (f.verb === 'belongs_to' || f.verb === 'has_one')
        return rnd(3) === 0 ? 'null' : objectText(f.fields);
      return `[${Array.from({ length: rnd(3) }, () => objectText(f.fields)).join(`, ${sp()}`)}]`;
    case 'aggregate':
      if (f.fn === 'ids') return `[${Array.from({ length: rnd(3) }, () => pick(numbers)).join(', ')}]`;
      return rnd(4) === 0 ? 'null' : pick(numbers);
    default:
      return rnd(3) === 0 ? 'null' : pick(freeJson);
  }
}

const s = (
  name: string,
  type: ScalarType,
  more: Partial<Extract<Field, { kind: 'scalar' }>> = {},
): Field => ({
  kind: 'scalar',
  name,
  type,
  column: name,
  required: false,
  transforms: [],
  ...more,
});

/** Every scalar type, with and without transforms and defaults, constants everywhere. */
const everyType: IndexSchema = {
  ...usersSchema,
  fields: [
    { kind: 'constant', name: 'first', value: { n: 1, a: ['x'] } },
    ...scalarTypes.map((t) => s(`p_${t}`, t)),
    ...scalarTypes.map((t) => s(`t_${t}`, t, { transforms: ['trim', 'lowercase'], default: 'Dflt' })),
    s('d_num', 'decimal', { default: 0 }),
    { kind: 'constant', name: 'middle', value: 'm' },
    {
      kind: 'object',
      name: 'nest',
      fields: [{ kind: 'constant', name: 'only', value: null }, s('inner', 'timestamp')],
    },
    { kind: 'object', name: 'empty', fields: [{ kind: 'constant', name: 'c1', value: 1 }] },
    { kind: 'map', name: 'm', column: 'm', values: 'keyword', required: false },
    { kind: 'geo', name: 'g', column: 'g', required: false },
    { kind: 'constant', name: 'last', value: true },
  ],
};

describe('TextShaper', () => {
  const schemas = { everyType, users: usersSchema, fidelity: fidelitySchema };
  for (const [name, schema] of Object.entries(schemas))
    it(`writes what the old path writes, generated ${name} documents`, () => {
      for (let i = 0; i < 1500; i++) {
        const text = objectText(schema.fields);
        const fast = shaped(schema.fields, text);
        expect(fast, text).not.toBeNull();
        expect(fast, text).toEqual(oldPath(schema.fields, text));
      }
    });

  it('gives up (null) or agrees when keys are missing, extra, reordered or malformed', () => {
    const fields = usersSchema.fields;
    for (let i = 0; i < 500; i++) {
      const text = objectText(fields);
      const broken = [
        text.replace(/"email" : [^,]*, /, ''),
        text.replace(/^\{/, '{"extra" : 1, '),
        text.replace('"email"', '"emale"'),
        text.replace(/\}$/, ', "extra" : 1}'),
        text.replace(/"orders" : \[/, '"orders" : [{"nope" : 1}, '),
        text.replace(/, /, ',, '),
        `${text} x`,
        text.slice(0, -1),
      ];
      for (const bad of broken) {
        let old: ReturnType<typeof oldPath> | 'throws';
        try {
          old = oldPath(fields, bad);
        } catch {
          old = 'throws';
        }
        const fast = shaped(fields, bad);
        if (fast !== null) expect(fast, bad).toEqual(old);
        else if (old === 'throws') expect(fast).toBeNull();
      }
    }
  });

  it('escapes a raw lone surrogate as the old path does, also in a text with no space to cut', () => {
    const fields = [s('a', 'text'), s('b', 'keyword')];
    for (const text of ['{"a":"x\ud800","b":"y"}', '{"a" : "\udc00", "b" : null}', '{"a":"ok","b":"\ud83d"}'])
      expect(shaped(fields, text), text).toEqual(oldPath(fields, text));
  });

  it('follows no schema whose object building it cannot copy key by key', () => {
    expect(textPlans([s('a', 'text'), s('a', 'long')])).toBeNull();
    expect(textPlans([s('__proto__', 'text')])).toBeNull();
    expect(textPlans([{ kind: 'object', name: 'o', fields: [s('x', 'text'), s('x', 'text')] }])).toBeNull();
  });

  it('leaves strings as printed only for types whose coercion returns them as they are', () => {
    for (const type of STRINGS_AS_IS)
      for (const v of strings) expect(scalarDescriptors[type].coerce(v, new ValueNoteCounter())).toBe(v);
  });

  it('leaves a date or instant as printed only when its coercion returns it as it is', () => {
    for (const [type, canonical] of Object.entries(CANONICAL) as [ScalarType, RegExp][])
      for (const v of strings) {
        canonical.lastIndex = 0;
        if (canonical.test(JSON.stringify(v)))
          expect(scalarDescriptors[type].coerce(v, new ValueNoteCounter()), `${type} ${v}`).toBe(v);
      }
  });
});
