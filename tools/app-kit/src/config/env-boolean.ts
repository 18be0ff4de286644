// The one spelling of a boolean in environment variables and config strings.
import { ConfigValueError } from './config-value-error.js';

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** The boolean spellings `parseEnvBoolean` takes (lower case). */
export const envBooleanWords: readonly string[] = [...TRUE, ...FALSE];

/** 1/0, true/false, yes/no, on/off (any case). Throws `ConfigValueError` naming `key`. */
export function parseEnvBoolean(text: string, key: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  throw new ConfigValueError(key, 'true or false', text);
}
