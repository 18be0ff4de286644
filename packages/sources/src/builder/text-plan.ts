// What the text shaper (shape-text.ts) expects at each field of the JSON the
// document SQL prints, and how it writes the value, compiled once per schema from
// the same field list the SQL and the coercion (coerce.ts) are written from.
import type { AggregateField, Field, ScalarField, ScalarType } from '@flusso/core';
import { stringifyExact } from '@flusso/core';
import { scalarDescriptors } from '../types/scalar-descriptors.js';

/** How one scalar value (or each element of an array of them) is coerced. */
export interface ScalarRule {
  readonly type: ScalarType;
  readonly transforms: ScalarField['transforms'];
  /** The field's default, sent for a top-level null (never for an array element). */
  readonly field: Pick<ScalarField, 'default'>;
  /** A JSON number token is already the coerced value (numbers keep their text). */
  readonly numbersAsIs: boolean;
  /** `true` / `false` are already the coerced value. */
  readonly booleansAsIs: boolean;
  /** Any string is already the coerced value (text types without transforms). */
  readonly stringsAsIs: boolean;
  /** A string token (quotes included) this matches whole is already the coerced value. */
  readonly canonical: RegExp | null;
}

interface Keyed {
  /** `"name":` as the bulk body spells the key. */
  readonly key: string;
  /** `,"name":`, the key after another entry. */
  readonly commaKey: string;
  /** `"name"` as Postgres prints the key. */
  readonly quoted: string;
  readonly field: Field;
}

export type TextPlan =
  | { readonly kind: 'constant'; readonly key: string; readonly text: string }
  | (Keyed & { readonly kind: 'scalar'; readonly rule: ScalarRule })
  | (Keyed & { readonly kind: 'ids'; readonly rule: ScalarRule })
  | (Keyed & { readonly kind: 'count' })
  | (Keyed & { readonly kind: 'object' | 'one' | 'many'; readonly fields: readonly TextPlan[] })
  // Free-shape values (json, map, geo, custom): read and written exactly as the old path does.
  | (Keyed & { readonly kind: 'span' });

const NUMERIC = new Set<ScalarType>(['short', 'integer', 'long', 'float', 'double', 'decimal']);
/** Types whose coercion returns a string as it is (text-plan.test.ts holds them to it). */
export const STRINGS_AS_IS = new Set<ScalarType>(['text', 'identifier', 'keyword', 'enum', 'uuid']);

/**
 * Dates and instants as Postgres prints them (with TimeZone set, a year of four digits,
 * CE) that the coercion leaves as they are, so the common case is checked without
 * allocating; anything else (BC, zone-less, `+02`, infinity) goes through the coercion.
 */
export const CANONICAL: Partial<Record<ScalarType, RegExp>> = {
  date: /"\d{4}-\d\d-\d\d"/y,
  timestamp: /"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d"/y,
};

function rule(type: ScalarType, field: Pick<ScalarField, 'default' | 'transforms'>): ScalarRule {
  return {
    type,
    transforms: field.transforms,
    field,
    numbersAsIs: NUMERIC.has(type),
    booleansAsIs: type === 'boolean',
    stringsAsIs: STRINGS_AS_IS.has(type) && field.transforms.length === 0,
    canonical: field.transforms.length === 0 ? (CANONICAL[type] ?? null) : null,
  };
}

const bare = { transforms: [] } as const;

function aggregatePlan(field: AggregateField, keyed: Keyed): TextPlan {
  if (field.fn === 'count') return { ...keyed, kind: 'count' };
  if (field.fn === 'avg') return { ...keyed, kind: 'scalar', rule: rule('double', bare) };
  if (field.fn === 'ids') return { ...keyed, kind: 'ids', rule: rule(field.elementType ?? 'long', bare) };
  return { ...keyed, kind: 'scalar', rule: rule(field.valueType ?? 'double', bare) };
}

function plan(field: Field): TextPlan | null {
  const quoted = JSON.stringify(field.name);
  const keyed: Keyed = { key: `${quoted}:`, commaKey: `,${quoted}:`, quoted, field };
  switch (field.kind) {
    case 'constant':
      return { kind: 'constant', key: keyed.key, text: stringifyExact(field.value) };
    case 'scalar':
      return scalarDescriptors[field.type].arraysAreValues
        ? { ...keyed, kind: 'span' }
        : { ...keyed, kind: 'scalar', rule: rule(field.type, field) };
    case 'object':
      return nested(field.fields, (fields) => ({ ...keyed, kind: 'object', fields }));
    case 'join':
      return nested(field.fields, (fields) => ({
        ...keyed,
        kind: field.verb === 'belongs_to' || field.verb === 'has_one' ? 'one' : 'many',
        fields,
      }));
    case 'aggregate':
      return aggregatePlan(field, keyed);
    default:
      return { ...keyed, kind: 'span' };
  }
}

function nested(fields: readonly Field[], make: (plans: readonly TextPlan[]) => TextPlan): TextPlan | null {
  const plans = textPlans(fields);
  return plans === null ? null : make(plans);
}

/**
 * The plans of `fields`, in order; null when the old path's object building cannot be
 * followed key by key: two fields of one name (the later value lands at the earlier
 * place) or a `__proto__` field (assigning it changes the prototype instead).
 */
export function textPlans(fields: readonly Field[]): readonly TextPlan[] | null {
  const names = new Set(fields.map((f) => f.name));
  if (names.size !== fields.length || names.has('__proto__')) return null;
  const plans: TextPlan[] = [];
  for (const field of fields) {
    const p = plan(field);
    if (p === null) return null;
    plans.push(p);
  }
  return plans;
}
