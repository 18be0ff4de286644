// `stored_fields` (fields mapped with `store: true`) and `docvalue_fields`
// (fields with doc values: every type but text) as the `fields` of a hit or get.
import { compareExact, isExact } from './exact-numbers.js';
import { type FieldMapping, NUMERIC_TYPES, type Props } from './mapping.js';
import { valuesAt } from './query.js';
import type { Index } from './store.js';
import { wildcardRegExp } from './wildcard.js';

type Json = Record<string, unknown>;

function leaves(props: Props, prefix = ''): [string, FieldMapping][] {
  return Object.entries(props).flatMap(([k, m]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const own: [string, FieldMapping][] = m.properties ? leaves(m.properties, path) : [[path, m]];
    const multi = Object.entries((m.fields ?? {}) as Props).map(
      ([sub, sm]) => [`${path}.${sub}`, sm] as [string, FieldMapping],
    );
    return [...own, ...multi];
  });
}

function values(source: Json, path: string, mapping: FieldMapping): unknown[] {
  const parent =
    mapping.type !== undefined && /\.[^.]+$/.test(path) ? valuesAt(source, path) : valuesAt(source, path);
  const direct = parent.length > 0 ? parent : valuesAt(source, path.replace(/\.[^.]+$/, ''));
  return direct
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v) => v !== null && typeof v !== 'object');
}

function select(
  index: Index,
  names: readonly string[],
  accept: (m: FieldMapping) => boolean,
): [string, FieldMapping][] {
  const all = leaves(index.mappings.properties);
  return names.flatMap((name) => {
    const re = wildcardRegExp(name);
    return all.filter(([path, m]) => re.test(path) && accept(m));
  });
}

/** Requested stored fields with values (`_source`-only fields are not stored). */
export function storedFields(index: Index, source: Json, names: readonly string[]): Json {
  const out: Json = {};
  for (const [path, m] of select(index, names, (x) => x.store === true || x.store === 'true')) {
    const v = values(source, path, m);
    if (v.length > 0) out[path] = v;
  }
  return out;
}

function docValue(m: FieldMapping, v: unknown): unknown {
  if (m.type === 'date' && typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : new Date(t).toISOString();
  }
  if (m.type === 'boolean') return v === true || v === 'true';
  if (NUMERIC_TYPES.has(m.type ?? '')) return typeof v === 'bigint' ? v : Number(v);
  return v;
}

/** `docvalue_fields`: names or `{field}` objects; text fields have no doc values. */
/** A DecimalFormat-like numeric `format` (`#.0`, `0.00`): the digits after the point. */
function formatted(v: unknown, format: unknown): unknown {
  const m = typeof format === 'string' ? /^[#0,]*\.?([0#]*)$/.exec(format) : null;
  if (!m || !isExact(v)) return v;
  return Number(v).toFixed((m[1] ?? '').replace(/#/g, '').length || 0);
}

export function docvalueFields(index: Index, source: Json, spec: unknown): Json {
  const entries = (Array.isArray(spec) ? spec : []).map((s) =>
    typeof s === 'string'
      ? { field: s, format: undefined }
      : { field: String((s as Json).field), format: (s as Json).format },
  );
  const out: Json = {};
  for (const { field, format } of entries)
    for (const [path, m] of select(index, [field], (x) => x.type !== 'text' && x.doc_values !== false)) {
      const v = values(source, path, m).map((x) => docValue(m, x));
      if (v.length === 0) continue;
      const sorted = v.sort((a, b) =>
        isExact(a) && isExact(b) ? compareExact(a, b) : String(a) < String(b) ? -1 : 1,
      );
      out[path] = sorted.map((x) => formatted(x, format));
    }
  return out;
}
