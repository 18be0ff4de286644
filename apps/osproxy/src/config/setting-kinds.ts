// The kinds of value an osproxy setting takes. Each reads the merged raw value (a
// string from env or flags, any TOML/JSON value from the file) into its type, or
// throws `SettingValueError` saying what it takes. A table of these replaces a
// schema library: the settings are flat and few, and zod cost ~5 MiB of the idle
// RSS issue 15 bounds (see README, "Footprint").
import { envBooleanWords, parseEnvBoolean } from '@flusso/app-kit';

/** A raw value that does not fit its setting; the message says what it takes. */
export class SettingValueError extends Error {
  readonly code = 'setting_value';
}

/** Reads one setting's raw value (`undefined` when no layer set it). */
export type SettingKind<T> = (raw: unknown) => T;

function describe(raw: unknown): string {
  return Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`;
}

/** Names the type of a wrong-typed file value; never echoes a value (it may be a secret). */
function expected(what: string, raw: unknown): never {
  throw new SettingValueError(
    typeof raw === 'string' ? `expected ${what}` : `expected ${what}, received ${describe(raw)}`,
  );
}

function optionalOf<T>(read: (raw: unknown) => T): SettingKind<T | undefined> {
  return (raw) => (raw === undefined ? undefined : read(raw));
}

function withDefault<T>(read: (raw: unknown) => T, fallback: T): SettingKind<T> {
  return (raw) => (raw === undefined ? fallback : read(raw));
}

function readText(raw: unknown): string {
  return typeof raw === 'string' ? raw : expected('a string', raw);
}

export interface TextRules {
  /** Fewest characters. */
  readonly min?: number;
  /** The whole value must match. */
  readonly pattern?: RegExp;
  /** A URL `new URL()` accepts. */
  readonly url?: boolean;
}

function readTextBy(rules: TextRules): (raw: unknown) => string {
  return (raw) => {
    const text = readText(raw);
    if (rules.min !== undefined && text.length < rules.min)
      throw new SettingValueError(`expected at least ${rules.min} characters`);
    if (rules.pattern && !rules.pattern.test(text))
      throw new SettingValueError(`expected text matching ${rules.pattern.source}`);
    if (rules.url && !URL.canParse(text)) throw new SettingValueError('expected a URL');
    return text;
  };
}

/** A string with a default. */
export const text = (fallback: string, rules: TextRules = {}): SettingKind<string> =>
  withDefault(readTextBy(rules), fallback);

/** A string that may be absent. */
export const optionalText = (rules: TextRules = {}): SettingKind<string | undefined> =>
  optionalOf(readTextBy(rules));

function readBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && envBooleanWords.includes(raw.trim().toLowerCase()))
    return parseEnvBoolean(raw, 'boolean');
  return expected(`a boolean or one of ${envBooleanWords.join(', ')}`, raw);
}

/** true/false in a file; 1/0, true/false, yes/no, on/off as text. */
export const bool = (fallback: boolean): SettingKind<boolean> => withDefault(readBool, fallback);

function readInt(raw: unknown): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
  if (typeof raw === 'string' && /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return expected('a whole number ≥ 0', raw);
}

/** A whole number ≥ 0, as a number or as digits. */
export const int = (fallback: number): SettingKind<number> => withDefault(readInt, fallback);

function readList(raw: unknown): string[] {
  const items = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : undefined;
  if (!items?.every((item) => typeof item === 'string'))
    return expected('a list of strings or comma-separated text', raw);
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

/** Comma-separated text, or an array of strings in a file; blanks dropped. */
export const list =
  (fallback: readonly string[]): SettingKind<string[]> =>
  (raw) =>
    raw === undefined ? [...fallback] : readList(raw); // a fresh array: never the shared default

function readOneOf<const W extends string>(words: readonly W[]): (raw: unknown) => W {
  return (raw) => {
    const text = readText(raw);
    if ((words as readonly string[]).includes(text)) return text as W;
    throw new SettingValueError(`expected one of ${words.join(', ')}`);
  };
}

/** One of a fixed set of words, with a default. */
export const oneOf = <const W extends string>(words: readonly W[], fallback: W): SettingKind<W> =>
  withDefault(readOneOf(words), fallback);

/** One of a fixed set of words, or absent. */
export const optionalOneOf = <const W extends string>(words: readonly W[]): SettingKind<W | undefined> =>
  optionalOf(readOneOf(words));
