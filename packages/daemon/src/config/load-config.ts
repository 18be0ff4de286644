// Reads and validates flusso.toml. Every error names the file, line and key;
// nothing is resolved from the environment here (secrets stay references).
import { readFileSync } from 'node:fs';
import { FlussoError } from '@flusso/core';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { type ConfigFile, configFileSchema } from './config-schema.js';
import { locateTomlKey } from './toml-locator.js';

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

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' || issue.code === 'invalid_value') return issue.message;
  return issue.message;
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
  const result = configFileSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw configError(file, 0, '', 'invalid config');
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const keyPath = issue.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path;
  const key = keyPath
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replaceAll('.[', '[');
  throw configError(file, locateTomlKey(text, keyPath), key, describeIssue(issue));
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
