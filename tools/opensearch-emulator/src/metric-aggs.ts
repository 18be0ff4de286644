// Metric aggregations (value_count, sum, min, max, avg, cardinality, weighted_avg)
// and how every aggregation reads a field: its values in a doc, typed by the
// mapping (dates as dates), or the `missing` stand-in.
import { OsError } from './errors.js';
import { DateValue, typedValues } from './field-types.js';
import { fieldValues, type Hit } from './query.js';

type Q = Record<string, unknown>;
type FieldTypes = (index: string, field: string) => string | undefined;

const parsing = (reason: string) => new OsError(400, 'parsing_exception', reason);

function field(spec: Q, type: string): string {
  if (spec.script !== undefined) throw parsing(`[${type}] scripts are not supported by the emulator`);
  if (typeof spec.field !== 'string')
    throw new OsError(
      400,
      'illegal_argument_exception',
      'Required one of fields [field, script], but none were specified. ',
    );
  return spec.field;
}

/** A doc's values for a field, or the `missing` stand-in when it has none. */
export function valuesOf(hit: Hit, spec: Q, type: string, types?: FieldTypes): unknown[] {
  const name = field(spec, type);
  const values = fieldValues(hit, name);
  const index = (hit as { readonly index?: string }).index;
  // The mapped type, or `value_type` on an unmapped field; the `missing` stand-in reads as it too.
  const mapped = types && index !== undefined ? types(index, name) : undefined;
  const valueType = mapped ?? (typeof spec.value_type === 'string' ? spec.value_type : undefined);
  if (values.length > 0 || spec.missing === undefined) return typedValues(values, valueType);
  return typedValues([spec.missing], valueType);
}

function numbers(docs: readonly Hit[], spec: Q, type: string): number[] {
  return docs
    .flatMap((h) => valuesOf(h, spec, type))
    .map(Number)
    .filter((n) => !Number.isNaN(n));
}

/** `weighted_avg`: Σ(value × weight) / Σ weight over the docs holding both (or their `missing`). */
function weightedAvg(spec: Q, docs: readonly Hit[]): Q {
  const source = (s: unknown): Q => (s && typeof s === 'object' ? (s as Q) : {});
  const v = source(spec.value);
  const w = source(spec.weight);
  let sum = 0;
  let weights = 0;
  for (const h of docs) {
    const weight = valuesOf(h, w, 'weighted_avg').map(Number);
    if (weight.length > 1)
      throw new OsError(
        400,
        'aggregation_execution_exception',
        'Encountered more than one weight for a single document. Use a script to combine multiple weights-per-doc into a single value.',
      );
    if (weight.length === 0 || Number.isNaN(weight[0])) continue;
    for (const value of valuesOf(h, v, 'weighted_avg').map(Number)) {
      sum += value * (weight[0] as number);
      weights += weight[0] as number;
    }
  }
  return { value: weights === 0 ? null : sum / weights };
}

export function metric(type: string, spec: Q, docs: readonly Hit[]): Q {
  if (type === 'weighted_avg') return weightedAvg(spec, docs);
  if (type === 'value_count') return { value: docs.flatMap((h) => valuesOf(h, spec, type)).length };
  if (type === 'cardinality')
    return { value: new Set(docs.flatMap((h) => valuesOf(h, spec, type)).map(keyOf)).size };
  const ns = numbers(docs, spec, type);
  const sum = ns.reduce((a, b) => a + b, 0);
  switch (type) {
    case 'sum':
      return { value: sum };
    case 'avg':
      return { value: ns.length ? sum / ns.length : null };
    case 'min':
      // OpenSearch renders the empty min/max (±Infinity) as null.
      return { value: ns.length ? Math.min(...ns) : null };
    default:
      return { value: ns.length ? Math.max(...ns) : null };
  }
}

/** Terms keys: numbers stay numbers, booleans become 1/0 with key_as_string, the rest strings. */
export function keyOf(v: unknown): string | number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof DateValue) return v.millis;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return String(v);
}
