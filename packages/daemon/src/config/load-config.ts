// Reads and validates flusso.toml. Every error names the file, line and key;
// nothing is resolved from the environment here (secrets stay references).
import { readFileSync } from 'node:fs';
import { FlussoError } from '@flusso/core';
import { parse, TomlError } from 'smol-toml';
import { type ConfigFile, configFileSchema } from './config-schema.js';
import { locateTomlKey } from './toml-locator.js';
import { describeIssues, formatKeyPath } from './zod-issues.js';

export interface LoadedConfig {
  readonly file: string;
  readonly config: ConfigFile;
}

function configError(file: string, line: number, key: string, message: string): FlussoError {
  const where = line > 0 ? `${file}:${line}` : file;
  return new FlussoError('config_invalid', `${where}: ${key ? `${key}: ` : ''}${message}`, {
    context: { file, line, key },
  });
}

/** Parse TOML text already read from `file`. */
export function parseConfigText(file: string, text: string): ConfigFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof TomlError)
      throw configError(file, error.line, '', `invalid TOML: ${error.message.split('\n')[0]}`);
    throw error;
  }
  const result = configFileSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const described = describeIssues(result.error, 'toml');
  const errors = described.map((d) =>
    configError(file, locateTomlKey(text, d.path), formatKeyPath(d.path), d.message),
  );
  const first = errors[0] ?? configError(file, 0, '', 'invalid config');
  if (errors.length <= 1) throw first;
  throw new FlussoError('config_invalid', errors.map((e) => e.message).join('\n'), {
    context: { file, issues: errors.length },
  });
}

export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FlussoError('config_invalid', `${file}: cannot read config file`, {
      cause: error,
      context: { file },
    });
  }
  return { file, config: parseConfigText(file, text) };
}
