// JSON coercions of one (non-array) value, shared by the scalar type descriptors.
import { type ExactJson, exactNumber, isJsonNumberText, stringifyExact } from '@flusso/core';
import { isoDate, isoTimestamp } from './temporal.js';
import type { ValueNoteSink } from './value-notes.js';

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/** Numbers stay exact (raw text); NaN/±Infinity become null and are counted. */
export function numberValue(v: ExactJson, notes: ValueNoteSink): ExactJson {
  if (typeof v !== 'string') return v;
  if (NON_FINITE.has(v)) {
    notes.note('non_finite_number');
    return null;
  }
  return isJsonNumberText(v) ? exactNumber(v) : v;
}

export function textValue(v: ExactJson): ExactJson {
  return typeof v === 'string' ? v : stringifyExact(v);
}

const HEX_BYTEA = /^\\x((?:[0-9a-fA-F]{2})*)$/;

/**
 * Bytes as base64 (what a `binary` field takes). A lone value is encoded by the SQL;
 * an array's elements arrive as Postgres prints bytea (`\\x` + hex, the session's
 * bytea_output) and are encoded here. A base64 text never starts with a backslash.
 */
export function binaryValue(v: ExactJson): ExactJson {
  if (typeof v !== 'string') return v;
  const hex = HEX_BYTEA.exec(v);
  return hex ? Buffer.from(hex[1] ?? '', 'hex').toString('base64') : v;
}

export function boolValue(v: ExactJson): ExactJson {
  return typeof v === 'boolean' ? v : v === 't' || v === 'true';
}

export function dateValue(v: ExactJson, notes: ValueNoteSink): ExactJson {
  return typeof v === 'string' ? isoDate(v, (n) => notes.note(n)) : v;
}

export function timestampValue(v: ExactJson, notes: ValueNoteSink): ExactJson {
  return typeof v === 'string' ? isoTimestamp(v, (n) => notes.note(n)) : v;
}
