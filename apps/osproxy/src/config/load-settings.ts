// Merge the settings layers (file, then OSPROXY_* env, then --flags) and validate
// once; every error names the key and the layer it came from.
import { readFileSync } from 'node:fs';
import { FlussoError } from '@flusso/core';
import { parse } from 'smol-toml';
import { envName, flagName, readSettings, type Settings, settingKeys } from './settings.js';

type Layer = Record<string, unknown>;

function fail(message: string): never {
  throw new FlussoError('config_invalid', message);
}

function fromFile(file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail(`${file}: cannot read config file`);
  }
  let raw: Layer;
  try {
    raw = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Layer;
  } catch (error) {
    fail(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  for (const key of Object.keys(raw)) {
    if (!settingKeys.includes(key as never) || key === 'config') fail(`${file}: unknown key "${key}"`);
  }
  return raw;
}

function fromEnv(env: Readonly<Record<string, string | undefined>>): Layer {
  const layer: Layer = {};
  for (const key of settingKeys) {
    const value = env[envName(key)];
    if (value !== undefined) layer[key] = value;
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('OSPROXY_') && !settingKeys.some((k) => envName(k) === name))
      fail(`unknown environment variable ${name}`);
  }
  return layer;
}

function fromFlags(argv: readonly string[]): Layer {
  const layer: Layer = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    const key = settingKeys.find((k) => flagName(k) === flag);
    if (!key) fail(`unknown flag ${flag}`);
    const value = inline ?? argv[++i];
    if (value === undefined) fail(`flag ${flag} needs a value`);
    layer[key] = value;
  }
  return layer;
}

export function loadSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Settings {
  const flags = fromFlags(argv);
  const envLayer = fromEnv(env);
  const file = (flags.config ?? envLayer.config) as string | undefined;
  const merged = { ...(file ? fromFile(file) : {}), ...envLayer, ...flags };
  const read = readSettings(merged);
  if (!read.ok) {
    const { key, message } = read;
    const origin =
      key in flags ? flagName(key) : key in envLayer ? envName(key) : file ? `${file}: ${key}` : key;
    fail(`${origin}: ${message}`);
  }
  const { settings } = read;
  if (Boolean(settings.tls_cert) !== Boolean(settings.tls_key))
    fail('tls_cert and tls_key must be set together');
  return settings;
}
