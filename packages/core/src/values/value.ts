// Typed values crossing layers (source rows, keys, documents). Integers keep their
// width (int8 is a bigint so no id loses precision); decimals stay exact strings.
import type { JsonValue } from './json.js';

export type Value =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int2' | 'int4'; readonly value: number }
  | { readonly kind: 'int8'; readonly value: bigint }
  | { readonly kind: 'float4' | 'float8'; readonly value: number }
  | { readonly kind: 'decimal'; readonly value: string }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'uuid'; readonly value: string }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'time'; readonly value: string }
  | { readonly kind: 'timestamp'; readonly value: string }
  | { readonly kind: 'timestamptz'; readonly value: string }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'json'; readonly value: JsonValue }
  | { readonly kind: 'array'; readonly value: readonly Value[] }
  | { readonly kind: 'map'; readonly value: Readonly<Record<string, Value>> };

export type ValueKind = Value['kind'];

export const nullValue: Value = Object.freeze({ kind: 'null' });

/** The text form Postgres prints for a value; keys use it so every path agrees. */
export function valueToText(value: Value): string | null {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
      return value.value ? 't' : 'f';
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
      return String(value.value);
    case 'bytes':
      return `\\x${Buffer.from(value.value).toString('hex')}`;
    case 'json':
      return JSON.stringify(value.value);
    case 'array':
      return `{${value.value.map((v) => valueToText(v) ?? 'NULL').join(',')}}`;
    case 'map':
      return JSON.stringify(
        Object.fromEntries(Object.entries(value.value).map(([k, v]) => [k, valueToText(v)])),
      );
    default:
      return value.value;
  }
}

/** A JSON rendering that loses nothing: int8 beyond 2^53 becomes a string. */
export function valueToJson(value: Value): JsonValue {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'int2':
    case 'int4':
    case 'float4':
    case 'float8':
      return value.value;
    case 'int8':
      return Number.isSafeInteger(Number(value.value)) ? Number(value.value) : value.value.toString();
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'json':
      return value.value;
    case 'array':
      return value.value.map(valueToJson);
    case 'map':
      return Object.fromEntries(Object.entries(value.value).map(([k, v]) => [k, valueToJson(v)]));
    default:
      return value.value;
  }
}
