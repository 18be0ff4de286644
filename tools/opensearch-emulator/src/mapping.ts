// Mapping enforcement: `dynamic: strict` rejects unknown fields, values are
// checked against field types, `dynamic: true` adds fields as OpenSearch would.
import { parseDate } from './date-formats.js';
import { OsError } from './errors.js';
import { normalizeIp } from './ip-addresses.js';
import { JsonNumber, RawJson, toPlain } from './json/lossless.js';

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

const INTEGRAL = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
const off = (v: unknown) => v === false || v === 'false';
const on = (v: unknown) => v === true || v === 'true';

function checkLeaf(field: string, m: FieldMapping, value: unknown): void {
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) checkLeaf(field, m, v);
    return;
  }
  const type = m.type ?? 'object';
  // `ignore_malformed`: a value of the wrong shape is left unindexed, the document kept
  // (an object in a leaf field still fails, as on OpenSearch 2.x).
  if (on(m.ignore_malformed) && (value === null || typeof value !== 'object')) {
    try {
      checkLeafValue(field, m, type, value);
    } catch {
      /* ignored, as `_ignored` records it on OpenSearch */
    }
    return;
  }
  checkLeafValue(field, m, type, value);
}

function checkLeafValue(field: string, m: FieldMapping, type: string, value: unknown): void {
  if (NUMERIC_TYPES.has(type) && off(m.coerce)) {
    // `coerce: false`: only JSON numbers, and none with a fraction for an integer type.
    const fractional = typeof value === 'number' && !Number.isInteger(value) && INTEGRAL.has(type);
    if (typeof value === 'string' || fractional) throw parseFail(field, type, value);
  }
  if (type === 'unsigned_long') {
    const text =
      typeof value === 'string' ? value.trim() : typeof value === 'bigint' ? String(value) : undefined;
    const n =
      typeof value === 'number'
        ? value
        : text !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
          ? Number(text)
          : Number.NaN;
    const whole =
      typeof value === 'bigint' ? value : text && /^\+?\d+$/.test(text) ? BigInt(text) : undefined;
    const inRange =
      whole !== undefined
        ? whole >= 0n && whole <= 2n ** 64n - 1n
        : Number.isFinite(n) && n > -1 && n < 2 ** 64;
    if (!inRange) throw parseFail(field, type, value);
    return;
  }
  if (type === 'ip') {
    // `InetAddresses.forString`: an address only (no CIDR, no short forms like `1.2.3`).
    if (typeof value !== 'string' || normalizeIp(value) === undefined) throw parseFail(field, type, value);
    return;
  }
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

/** How new string fields are typed: the root mapping's `date_detection` (on) and `numeric_detection` (off). */
export interface Detection {
  readonly dates: boolean;
  readonly numbers: boolean;
  /** Count of fields added while applying (for the mapping limits). */
  added: number;
}

const isNumberText = (t: string) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t.trim());

/**
 * The dynamic mapping of a new field from its first non-null value, as
 * `DocumentParser.createBuilderFromDynamicValue`: a JSON integer is `long`, a number with a
 * fraction or exponent (`1.0`, `1e3`) `float`; a string is `long`/`float` with numeric
 * detection, else a `date` when it is no number and parses as `strict_date_optional_time`
 * (or `yyyy/MM/dd HH:mm:ss||yyyy/MM/dd`), else `text` with a `keyword` sub-field.
 */
function inferred(value: unknown, detect: Detection): FieldMapping {
  if (value instanceof JsonNumber) return /[.eE]/.test(value.raw) ? { type: 'float' } : { type: 'long' };
  if (typeof value === 'bigint') return { type: 'long' };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'long' } : { type: 'float' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (value && typeof value === 'object' && !Array.isArray(value)) return { properties: {} };
  if (typeof value === 'string') {
    const numeric = isNumberText(value);
    if (numeric && detect.numbers)
      return /^[+-]?\d+$/.test(value.trim()) ? { type: 'long' } : { type: 'float' };
    if (!numeric && detect.dates) {
      if (parseDate(value, 'strict_date_optional_time') !== undefined) return { type: 'date' };
      if (parseDate(value, 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd') !== undefined)
        return { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' };
    }
  }
  return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
}

function nameFail(reason: string): OsError {
  return new OsError(400, 'mapper_parsing_exception', 'failed to parse', {
    caused_by: { type: 'illegal_argument_exception', reason },
  });
}

/**
 * A document field name's parts, checked as `DocumentParser.splitAndValidatePath`: no empty
 * name, no empty or blank part around a dot (Java's split drops trailing empty parts).
 */
function splitFieldName(name: string): string[] {
  if (!name.includes('.')) {
    if (name === '') throw nameFail('field name cannot be an empty string');
    return [name];
  }
  const parts = name.split('.');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0) throw nameFail('field name cannot contain only dots');
  for (const part of parts)
    if (part.trim() === '')
      throw nameFail(
        part === ''
          ? `object field starting or ending with a [.] makes object resolution ambiguous: [${name}]`
          : `object field cannot contain only whitespace: ['${name}']`,
      );
  return parts;
}

const plainOf = (v: unknown): unknown => (v instanceof JsonNumber || v instanceof RawJson ? toPlain(v) : v);

/**
 * Validates `source` against `props`, adding dynamic fields; throws an OsError on rejection.
 * `source` may be a lossless tree (numbers as `JsonNumber`, so `1.0` maps as `float`).
 */
export function applyMapping(
  props: Props,
  source: Record<string, unknown>,
  dynamic: boolean | string,
  prefix = '',
  detect: Detection = { dates: true, numbers: false, added: 0 },
): void {
  for (const [rawKey, rawValue] of Object.entries(source)) {
    const parts = splitFieldName(rawKey);
    if (parts.length > 1) {
      // `a.b: 1` is `a: {b: 1}`, as OpenSearch expands dots in document field names.
      let expanded: unknown = rawValue;
      for (const part of parts.slice(1).reverse()) expanded = { [part]: expanded };
      applyMapping(props, { [parts[0] as string]: expanded }, dynamic, prefix, detect);
      continue;
    }
    const key = rawKey;
    const tree = rawValue instanceof RawJson ? toPlain(rawValue) : rawValue;
    // Leaves and arrays as plain values (exact: big integers as bigint); objects stay trees.
    const value =
      tree !== null && typeof tree === 'object' && !Array.isArray(tree) && !(tree instanceof JsonNumber)
        ? tree
        : toPlain(tree);
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
      const first = Array.isArray(tree) ? tree.find((v) => v !== null) : tree;
      if (first === undefined) continue; // only nulls: no field is added
      m = inferred(first, detect);
      props[key] = m;
      detect.added += 1 + Object.keys((m.fields as Props | undefined) ?? {}).length;
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
    for (const raw of Array.isArray(tree) ? tree : [tree]) {
      const item = raw instanceof RawJson ? toPlain(raw) : raw;
      if (item === null) continue;
      if (typeof item !== 'object' || item instanceof JsonNumber)
        throw parseFail(path, m.type ?? 'object', plainOf(item));
      applyMapping(m.properties, item as Record<string, unknown>, childDynamic, path, detect);
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
 * What a leaf field indexes of `value`, as its mapper does: `null_value` in place of a null,
 * nothing of a `keyword` longer than `ignore_above`, nothing of a value `ignore_malformed`
 * let through (undefined: the field indexes nothing; arrays element by element).
 */
function leafIndexed(field: string, m: FieldMapping, value: unknown): unknown {
  if (m.properties || m.type === undefined || m.type === 'object' || m.type === 'nested') return value;
  const nullValue = m.null_value;
  const limit = m.type === 'keyword' && m.ignore_above !== undefined ? Number(m.ignore_above) : undefined;
  const malformed = on(m.ignore_malformed);
  if (nullValue === undefined && limit === undefined && !malformed) return value;
  const one = (v: unknown): unknown => {
    if (v === null) return nullValue ?? null;
    if (limit !== undefined && typeof v === 'string' && v.length > limit) return undefined;
    if (malformed && (typeof v !== 'object' || v === null))
      try {
        checkLeafValue(field, m, m.type as string, v);
      } catch {
        return undefined;
      }
    return v;
  };
  if (!Array.isArray(value)) {
    const v = one(value);
    return v === null ? null : v;
  }
  const kept = value.map(one).filter((v) => v !== undefined);
  if (kept.length === value.length && kept.every((v, i) => v === value[i])) return value;
  return kept.length === 0 ? undefined : kept;
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
    if (!m || value === undefined) continue;
    let next: unknown = leafIndexed(key, m, value);
    if (next === null || next === undefined) {
      if (next !== value) {
        out ??= { ...source };
        if (next === undefined) delete out[key];
        else out[key] = next;
      }
      continue;
    }
    if (m.type === 'unsigned_long')
      next = Array.isArray(next) ? next.map(unsignedLongValue) : unsignedLongValue(next);
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

/** Fields a mapping counts toward `index.mapping.total_fields.limit`: objects, leaves and multi-fields. */
export function countFields(props: Props): number {
  let n = 0;
  for (const m of Object.values(props)) {
    n += 1 + Object.keys((m.fields as Props | undefined) ?? {}).length;
    if (m.properties) n += countFields(m.properties);
  }
  return n;
}

/** The first object field deeper than `limit` (the root is depth 1, `a` 2, `a.b` 3), if any. */
function tooDeep(props: Props, limit: number, prefix = '', depth = 2): string | undefined {
  for (const [key, m] of Object.entries(props)) {
    if (!m.properties && m.type !== 'object' && m.type !== 'nested') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (depth > limit) return path;
    const below = m.properties ? tooDeep(m.properties, limit, path, depth + 1) : undefined;
    if (below) return below;
  }
  return undefined;
}

function settingNumber(settings: Record<string, unknown>, path: string[], fallback: number): number {
  let at: unknown = settings;
  for (const p of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[p] : undefined;
  const n = Number(at);
  return at === undefined || at === null || Number.isNaN(n) ? fallback : n;
}

/**
 * `MapperService`'s limits on a mapping update: `index.mapping.total_fields.limit` (1000) and
 * `index.mapping.depth.limit` (20), refused as OpenSearch 2.x words it.
 */
export function checkMappingLimits(index: string, settings: Record<string, unknown>, props: Props): void {
  const total = settingNumber(settings, ['mapping', 'total_fields', 'limit'], 1000);
  if (countFields(props) > total)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Limit of total fields [${total}] in index [${index}] has been exceeded`,
    );
  const depth = settingNumber(settings, ['mapping', 'depth', 'limit'], 20);
  const deep = tooDeep(props, depth);
  if (deep !== undefined)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Limit of mapping depth [${depth}] in index [${index}] has been exceeded due to object field [${deep}]`,
    );
}
