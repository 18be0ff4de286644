// Shapes the JSON Postgres built into the declared types: exact integers,
// decimals, ISO timestamps with zone, transforms, defaults and constants.
import type { AggregateField, Field, JsonObject, JsonValue, ScalarField, ScalarType } from '@flusso/core';

function integer(v: JsonValue): JsonValue {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : String(v);
}

function timestamp(v: JsonValue): JsonValue {
  if (typeof v !== 'string') return v;
  const iso = v.includes('T') ? v : v.replace(' ', 'T');
  if (!iso.includes('T')) return iso;
  // Postgres prints whole-hour offsets as `+00`; ISO 8601 date parsers want `+00:00`.
  const zoned = iso.replace(/([+-]\d\d)$/, '$1:00').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  return /([+-]\d\d:\d\d|Z)$/.test(zoned) ? zoned : `${zoned}Z`;
}

export function coerceScalar(type: ScalarType, v: JsonValue): JsonValue {
  if (v === null) return null;
  switch (type) {
    case 'short':
    case 'integer':
    case 'long':
      return integer(v);
    case 'float':
    case 'double':
    case 'decimal':
      return Number(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 't' || v === 'true';
    case 'timestamp':
      return timestamp(v);
    case 'date':
      return typeof v === 'string' ? v.slice(0, 10) : v;
    case 'text':
    case 'identifier':
    case 'keyword':
    case 'enum':
    case 'uuid':
      return typeof v === 'string' ? v : JSON.stringify(v);
    default:
      return v;
  }
}

function scalar(field: ScalarField, raw: JsonValue | undefined): JsonValue {
  let v = raw ?? null;
  if (typeof v === 'string') {
    for (const t of field.transforms)
      v = t === 'lowercase' ? (v as string).toLowerCase() : (v as string).trim();
  }
  if (v === null && field.default !== undefined) v = field.default;
  return coerceScalar(field.type, v);
}

function aggregate(field: AggregateField, raw: JsonValue | undefined): JsonValue {
  const v = raw ?? null;
  if (field.fn === 'count') return Number(v ?? 0);
  if (field.fn === 'avg') return v === null ? null : Number(v);
  if (field.fn === 'ids')
    return Array.isArray(v) ? v.map((x) => coerceScalar(field.elementType ?? 'long', x)) : [];
  return coerceScalar(field.valueType ?? 'double', v);
}

function one(field: Field, raw: JsonValue | undefined): JsonValue {
  switch (field.kind) {
    case 'scalar':
      return scalar(field, raw);
    case 'constant':
      return field.value;
    case 'object':
      return coerceDocument(field.fields, (raw ?? {}) as JsonObject);
    case 'join':
      if (field.verb === 'belongs_to' || field.verb === 'has_one')
        return raw ? coerceDocument(field.fields, raw as JsonObject) : null;
      return Array.isArray(raw) ? raw.map((row) => coerceDocument(field.fields, row as JsonObject)) : [];
    case 'aggregate':
      return aggregate(field, raw);
    default:
      return raw ?? null;
  }
}

export function coerceDocument(fields: readonly Field[], raw: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const field of fields) out[field.name] = one(field, raw[field.name]);
  return out;
}
