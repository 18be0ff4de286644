// Mapping enforcement: `dynamic: strict` rejects unknown fields, values are
// checked against field types, `dynamic: true` adds fields as OpenSearch would.
import { parseDate } from './date-formats.js';
import { OsError } from './errors.js';

export type Props = Record<string, FieldMapping>;
export interface FieldMapping {
  type?: string;
  properties?: Props;
  dynamic?: boolean | string;
  enabled?: boolean;
  [key: string]: unknown;
}

const NUMERIC: Record<string, [number, number] | null> = {
  long: [-(2 ** 63), 2 ** 63],
  integer: [-(2 ** 31), 2 ** 31 - 1],
  short: [-32768, 32767],
  byte: [-128, 127],
  double: null,
  float: null,
  half_float: null,
  scaled_float: null,
};

/** Every numeric field type (`unsigned_long` has no range check of its own here). */
export const NUMERIC_TYPES: ReadonlySet<string> = new Set([...Object.keys(NUMERIC), 'unsigned_long']);

function parseFail(field: string, type: string, value: unknown): OsError {
  return new OsError(
    400,
    'mapper_parsing_exception',
    `failed to parse field [${field}] of type [${type}] in document`,
    {
      caused_by: {
        type: 'illegal_argument_exception',
        reason: `invalid value for ${type}: ${String(typeof value === 'string' ? JSON.stringify(value) : value).slice(0, 40)}`,
      },
    },
  );
}

/** A date mapping's `format`, if it names one. */
export function dateFormat(m: FieldMapping | undefined): string | undefined {
  return typeof m?.format === 'string' ? m.format : undefined;
}

/** Base64 as Jackson decodes it for a binary field: the standard alphabet, padded, spaces skipped. */
function isBase64(text: string): boolean {
  const compact = text.replace(/\s/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

function checkLeaf(field: string, m: FieldMapping, value: unknown): void {
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) checkLeaf(field, m, v);
    return;
  }
  const type = m.type ?? 'object';
  if (type in NUMERIC) {
    const n = typeof value === 'string' ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
    if (typeof n !== 'number' || Number.isNaN(n)) throw parseFail(field, type, value);
    const range = NUMERIC[type];
    if (range && (!Number.isInteger(Math.trunc(n)) || n < range[0] || n > range[1]))
      throw parseFail(field, type, value);
  } else if (type === 'boolean') {
    if (typeof value !== 'boolean' && value !== 'true' && value !== 'false')
      throw parseFail(field, type, value);
  } else if (type === 'date') {
    if (
      !(
        typeof value === 'number' ||
        typeof value === 'bigint' ||
        (typeof value === 'string' && parseDate(value, dateFormat(m)) !== undefined)
      )
    )
      throw parseFail(field, type, value);
  } else if (type === 'keyword' || type === 'text') {
    if (typeof value === 'object') throw parseFail(field, type, value);
  } else if (type === 'geo_point') {
    const ok =
      typeof value === 'string' ||
      (typeof value === 'object' && value !== null && 'lat' in value && 'lon' in value);
    if (!ok) throw parseFail(field, type, value);
  } else if (type === 'binary') {
    if (typeof value !== 'string' || !isBase64(value)) throw parseFail(field, type, value);
  }
}

function inferred(value: unknown): FieldMapping {
  if (typeof value === 'bigint') return { type: 'long' };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'long' } : { type: 'float' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (value && typeof value === 'object' && !Array.isArray(value)) return { properties: {} };
  return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
}

/** Validates `source` against `props`, adding dynamic fields; throws an OsError on rejection. */
export function applyMapping(
  props: Props,
  source: Record<string, unknown>,
  dynamic: boolean | string,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix ? `${prefix}.${key}` : key;
    let m = props[key];
    if (!m) {
      if (dynamic === 'strict') {
        throw new OsError(
          400,
          'strict_dynamic_mapping_exception',
          `mapping set to strict, dynamic introduction of [${key}] within [${prefix || '_doc'}] is not allowed`,
        );
      }
      if (dynamic === false || dynamic === 'false' || value === null) continue;
      m = inferred(Array.isArray(value) ? value[0] : value);
      props[key] = m;
    }
    if (m.enabled === false) continue;
    const isObject = m.properties !== undefined || m.type === 'object' || m.type === 'nested';
    if (!isObject) {
      checkLeaf(path, m, value);
      continue;
    }
    if (m.dynamic === true || m.dynamic === 'true') continue;
    const childDynamic = m.dynamic ?? dynamic;
    m.properties ??= {};
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null) continue;
      if (typeof item !== 'object') throw parseFail(path, m.type ?? 'object', item);
      applyMapping(m.properties, item as Record<string, unknown>, childDynamic, path);
    }
  }
}

/**
 * An `unsigned_long` value as OpenSearch indexes it: a number or numeric text, any decimal
 * part dropped (`"10223372036854775807.23"` is 10223372036854775807); exact beyond 2^53 as a
 * bigint. Anything else is left as it is (the mapping check has had its say).
 */
export function unsignedLongValue(value: unknown): unknown {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isFinite(value)) n = BigInt(Math.trunc(value));
  else if (typeof value === 'string') {
    const m = /^\s*\+?(\d+)(?:\.\d*)?\s*$/.exec(value);
    if (m) n = BigInt(m[1] as string);
  }
  if (n === undefined) return value;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= 0n ? Number(n) : n;
}

/**
 * The parsed source as the index's queries, sorts and aggregations see its fields:
 * `unsigned_long` values as indexed (see `unsignedLongValue`). The stored `_source` text is
 * untouched; a source with nothing to change is returned as it is.
 */
export function indexedSource(props: Props, source: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(source)) {
    const m = props[key];
    if (!m || value === null || value === undefined) continue;
    let next: unknown = value;
    if (m.type === 'unsigned_long')
      next = Array.isArray(value) ? value.map(unsignedLongValue) : unsignedLongValue(value);
    else if (m.properties && typeof value === 'object') {
      const sub = m.properties;
      const inner = (v: unknown) =>
        v && typeof v === 'object' && !Array.isArray(v)
          ? indexedSource(sub, v as Record<string, unknown>)
          : v;
      if (!Array.isArray(value)) next = inner(value);
      else {
        const items = value.map(inner);
        if (items.some((v, i) => v !== value[i])) next = items;
      }
    }
    if (next !== value) {
      out ??= { ...source };
      out[key] = next;
    }
  }
  return out ?? source;
}
