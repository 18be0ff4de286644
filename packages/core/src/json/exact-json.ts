// JSON that keeps every digit: a number whose text a double cannot reproduce
// stays a RawNumber (its exact text), from the Postgres wire to the bulk body.
// Documents are ExactJson; plain JsonValue is a subset of it.
import type { JsonPrimitive } from '../values/json.js';

// While stringifyExact runs JSON.stringify, each RawNumber leaves its text here and
// a placeholder string in the output (see stringify-exact.ts); null otherwise.
let captured: string[] | null = null;

/** Runs `fn` with RawNumber.toJSON writing placeholders; returns its result and the raw texts in order. */
export function withRawCapture<T>(fn: () => T): [T, string[]] {
  const outer = captured;
  const raws: string[] = [];
  captured = raws;
  try {
    return [fn(), raws];
  } finally {
    captured = outer;
  }
}

/** The placeholder a RawNumber becomes inside withRawCapture: NUL and its index. */
export const RAW_MARK = '\u0000';

/** A JSON number kept as its exact text (e.g. numeric(38,10), int8 beyond 2^53). */
export class RawNumber {
  constructor(readonly raw: string) {}

  /** Outside stringifyExact (accidental JSON.stringify): lossy. Exact output goes through stringifyExact. */
  toJSON(): number | string {
    if (captured === null) return Number(this.raw);
    captured.push(this.raw);
    return `${RAW_MARK}${captured.length - 1}`;
  }

  toString(): string {
    return this.raw;
  }
}

export type ExactJson = JsonPrimitive | RawNumber | readonly ExactJson[] | ExactObject;
export type ExactObject = { readonly [key: string]: ExactJson };

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Whether `text` is a JSON number literal. */
export function isJsonNumberText(text: string): boolean {
  return NUMBER.test(text);
}

/** A JSON number from its exact text: a plain number when a double prints it back identically. */
export function exactNumber(text: string): number | RawNumber {
  const n = Number(text);
  return String(n) === text ? n : new RawNumber(text);
}

export function isRawNumber(value: unknown): value is RawNumber {
  return value instanceof RawNumber;
}

export function isExactObject(value: ExactJson | undefined): value is ExactObject {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawNumber)
  );
}
