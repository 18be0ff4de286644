// The text of a key or link value as the document SQL prints it (`col::text`,
// which makes the document id and which links are matched against). pgoutput and
// a type's own output can differ from that cast: a boolean prints `t`, its cast
// `true`; so ids and link tuples are written here, never by the value's own text.
import { type Value, valueToText } from '@flusso/core';

/** `value` as `::text` prints it; null for SQL NULL. */
export function keyValueText(value: Value): string | null {
  if (value.kind === 'bool') return value.value ? 'true' : 'false';
  return valueToText(value);
}
