// Flag parsing where every flag also reads FLUSSO_<FLAG> (the flag wins).
import { parseArgs } from 'node:util';
import { parseEnvBoolean } from '@flusso/app-kit';
import { FlussoError } from '@flusso/core';

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly default?: string | boolean;
}

export type FlagValues = Record<string, string | boolean | undefined>;

function envName(flag: string): string {
  return `FLUSSO_${flag.toUpperCase().replaceAll('-', '_')}`;
}

export function parseFlags(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
  env: Readonly<Record<string, string | undefined>>,
): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs))
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new FlussoError('config_invalid', (error as Error).message);
  }
  const values: FlagValues = {};
  for (const [name, spec] of Object.entries(specs)) {
    const given = parsed.values[name];
    const fromEnv = env[envName(name)];
    if (given !== undefined) values[name] = given as string | boolean;
    else if (fromEnv !== undefined && fromEnv !== '')
      values[name] = spec.type === 'boolean' ? parseEnvBoolean(fromEnv, envName(name)) : fromEnv;
    else values[name] = spec.default;
  }
  return { values, positionals: parsed.positionals };
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
