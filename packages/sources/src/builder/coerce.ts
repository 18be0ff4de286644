// Shapes the JSON Postgres built into the declared types through the scalar
// type descriptors: exact numbers, ISO dates, arrays element by element,
// transforms, defaults and constants.
import type { AggregateField, ExactJson, ExactObject, Field, ScalarField, ScalarType } from '@flusso/core';
import { isExactObject } from '@flusso/core';
import { coerceTyped } from '../types/scalar-descriptors.js';
import { ValueNoteCounter, type ValueNoteSink } from '../types/value-notes.js';

/** The field's transforms (lowercase, trim) applied to a string, or to each string of an array. */
export function transform(field: Pick<ScalarField, 'transforms'>, v: ExactJson): ExactJson {
  if (Array.isArray(v)) return v.map((x: ExactJson) => transform(field, x));
  if (typeof v !== 'string') return v;
  let s = v;
  for (const t of field.transforms) s = t === 'lowercase' ? s.toLowerCase() : s.trim();
  return s;
}

function scalar(field: ScalarField, raw: ExactJson | undefined, notes: ValueNoteSink): ExactJson {
  let v = transform(field, raw ?? null);
  if (v === null && field.default !== undefined) v = field.default;
  return coerceTyped(field.type, v, notes);
}

function aggregate(field: AggregateField, raw: ExactJson | undefined, notes: ValueNoteSink): ExactJson {
  const v = raw ?? null;
  if (field.fn === 'count') return coerceTyped('long', v ?? 0, notes);
  if (field.fn === 'avg') return coerceTyped('double', v, notes);
  if (field.fn === 'ids') return Array.isArray(v) ? coerceTyped(field.elementType ?? 'long', v, notes) : [];
  return coerceTyped(field.valueType ?? 'double', v, notes);
}

function nested(fields: readonly Field[], raw: ExactJson | undefined, notes: ValueNoteSink): ExactObject {
  return coerceDocument(fields, isExactObject(raw) ? raw : {}, notes);
}

/** One field's value in the declared document, from the JSON Postgres built for it. */
export function coerceField(field: Field, raw: ExactJson | undefined, notes: ValueNoteSink): ExactJson {
  switch (field.kind) {
    case 'scalar':
      return scalar(field, raw, notes);
    case 'constant':
      return field.value;
    case 'object':
      return nested(field.fields, raw, notes);
    case 'join':
      if (field.verb === 'belongs_to' || field.verb === 'has_one')
        return raw ? nested(field.fields, raw, notes) : null;
      return Array.isArray(raw) ? raw.map((row: ExactJson) => nested(field.fields, row, notes)) : [];
    case 'aggregate':
      return aggregate(field, raw, notes);
    default:
      return raw ?? null;
  }
}

/** The declared document from the JSON Postgres built; value notes go to `notes`. */
export function coerceDocument(
  fields: readonly Field[],
  raw: ExactObject,
  notes: ValueNoteSink = new ValueNoteCounter(),
): ExactObject {
  const out: Record<string, ExactJson> = {};
  for (const field of fields) out[field.name] = coerceField(field, raw[field.name], notes);
  return out;
}

/** One value of `type` as the document carries it (for callers outside a document). */
export function coerceScalar(type: ScalarType, v: ExactJson, notes: ValueNoteSink = new ValueNoteCounter()) {
  return coerceTyped(type, v, notes);
}
