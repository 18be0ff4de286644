// Secrets and connection values, resolved only in the process that runs the
// pipeline. Precedence: an explicit { env } reference > the reserved deployment
// variable (DATABASE_URL, <SINK>_OPENSEARCH_URL|USERNAME|PASSWORD) > the literal.
import { FlussoError } from '@flusso/core';
import type { EnvOrValue, SourceConfig } from './config-schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(name: string, env: Env, what: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new FlussoError('config_invalid', `${what}: environment variable ${name} is not set`, {
      context: { variable: name },
    });
  }
  return value;
}

/** Resolve one env-or-value with an optional reserved override variable. */
export function resolveValue(
  value: EnvOrValue | undefined,
  reserved: string | null,
  env: Env,
  what: string,
): string | undefined {
  if (value !== undefined && typeof value === 'object') return fromEnv(value.env, env, what);
  if (reserved !== null) {
    const override = env[reserved];
    if (override !== undefined && override !== '') return override;
  }
  return value;
}

export function sinkVariable(sink: string, part: 'URL' | 'USERNAME' | 'PASSWORD'): string {
  return `${sink.toUpperCase()}_OPENSEARCH_${part}`;
}

/** The Postgres connection URL from `[source]`, DATABASE_URL, or parts. */
export function resolveSourceUrl(source: SourceConfig, env: Env): string {
  const spec = source.connection_url;
  if (spec !== undefined && typeof spec === 'object' && 'env' in spec)
    return fromEnv(spec.env, env, 'source.connection_url');
  const override = env.DATABASE_URL;
  if (override) return override;
  if (typeof spec === 'string') return spec;
  if (spec === undefined) {
    throw new FlussoError(
      'config_invalid',
      'source.connection_url: not set in the config and DATABASE_URL is not set',
    );
  }
  const url = new URL('postgres://localhost');
  url.hostname = spec.host;
  url.port = String(spec.port);
  url.username = spec.user;
  const password = resolveValue(spec.password, null, env, 'source.connection_url.password');
  if (password !== undefined) url.password = password;
  url.pathname = `/${spec.database}`;
  return url.toString();
}

/** A URL safe to log: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
