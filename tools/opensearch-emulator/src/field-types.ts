// Field types from an index mapping, and date values as OpenSearch reads them:
// epoch millis for keys and sort values, an ISO string for `key_as_string`.

import { parseDate } from './date-formats.js';
import { normalizeIp } from './ip-addresses.js';
import type { FieldMapping, Props } from './mapping.js';
import type { Index } from './store.js';
import { partitionFilter } from './term-partitions.js';

/** The mapping of a dotted field path (multi-fields like `name.keyword` included). */
function mappingAt(index: Index | undefined, path: string): FieldMapping | undefined {
  let props: Props | undefined = index?.mappings.properties;
  let mapping: FieldMapping | undefined;
  for (const part of path.split('.')) {
    const next: FieldMapping | undefined = props?.[part] ?? (mapping?.fields as Props | undefined)?.[part];
    if (!next) return undefined;
    mapping = next;
    props = next.properties;
  }
  return mapping;
}

/** The mapped type of a dotted field path (multi-fields like `name.keyword` included). */
export function fieldType(index: Index | undefined, path: string): string | undefined {
  const mapping = mappingAt(index, path);
  return mapping?.type ?? (mapping?.properties ? 'object' : undefined);
}

/** The `format` of a date field's mapping, if it names one. */
export function fieldFormat(index: Index | undefined, path: string): string | undefined {
  const format = mappingAt(index, path)?.format;
  return typeof format === 'string' ? format : undefined;
}

/** Milliseconds since the epoch of a date value (number, digits, or an ISO-like text). */
export function epochMillis(v: unknown, format?: string): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'string') return undefined;
  const formatted = format === undefined ? undefined : parseDate(v, format);
  if (formatted !== undefined) return formatted;
  if (/^-?\d+$/.test(v)) return Number(v);
  let text = v.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T');
  if (/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** Nanoseconds since the epoch of a `date_nanos` value. */
export function epochNanos(v: unknown, format?: string): bigint | undefined {
  const millis = epochMillis(v, format);
  if (millis === undefined) return undefined;
  const fraction = typeof v === 'string' ? /\.(\d+)/.exec(v)?.[1] : undefined;
  const subMillis = fraction && fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
  return BigInt(millis) * 1_000_000n + subMillis;
}

/** A date value in an aggregation: compares and sums as millis, prints as ISO. */
export class DateValue {
  constructor(readonly millis: number) {}
  valueOf(): number {
    return this.millis;
  }
  toString(): string {
    return new Date(this.millis).toISOString();
  }
}

/** A hit's field values as aggregations read them: dates become `DateValue`s. */
export function typedValues(values: unknown[], type: string | undefined): unknown[] {
  if (type === 'ip') return values.map((v) => normalizeIp(v) ?? v);
  if (type !== 'date' && type !== 'date_nanos') return values;
  return values.map((v) => {
    const millis = epochMillis(v);
    return millis === undefined ? v : new DateValue(millis);
  });
}

/** A sort value as OpenSearch returns it: dates as epoch millis (nanos for date_nanos). */
export function sortValueOf(value: unknown, type: string | undefined, format?: string): unknown {
  // A long already (a missing value's `Long.MAX_VALUE` substitute): shown exactly.
  if (typeof value === 'bigint') return value;
  // Infinite doubles as Jackson writes them (quoted): a missing floating value's substitute.
  if (typeof value === 'number' && !Number.isFinite(value) && !Number.isNaN(value)) return String(value);
  if (type === 'date') return epochMillis(value, format) ?? value;
  if (type === 'date_nanos') return epochNanos(value, format) ?? value;
  return value;
}

/** The terms `include`/`exclude` filter: a list of values or a regex over the key text. */
export function termFilter(spec: Record<string, unknown>): (value: unknown) => boolean {
  const rule = (r: unknown, fallback: boolean) => {
    const partition = partitionFilter(r);
    if (partition) return partition;
    if (r === undefined || (r && typeof r === 'object' && !Array.isArray(r))) return () => fallback;
    if (Array.isArray(r)) {
      const wanted = new Set(r.map((x) => String(x)));
      const millis = new Set(r.map((x) => epochMillis(x)).filter((x) => x !== undefined));
      return (v: unknown) => (v instanceof DateValue ? millis.has(v.millis) : wanted.has(String(v)));
    }
    const re = new RegExp(`^(?:${String(r)})$`);
    return (v: unknown) => re.test(String(v));
  };
  const include = rule(spec.include, true);
  const exclude = rule(spec.exclude, false);
  return (v) => include(v) && !exclude(v);
}
