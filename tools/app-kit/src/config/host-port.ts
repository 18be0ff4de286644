// `host:port` (IPv6 in brackets) for listeners and addresses.
import { ConfigValueError } from './config-value-error.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`; an empty host becomes `defaultHost`. Throws `ConfigValueError` naming `key`. */
export function parseHostPort(text: string, key: string, defaultHost = '0.0.0.0'): HostPort {
  const m = /^(.*):(\d+)$/.exec(text);
  const port = Number(m?.[2]);
  if (m === null || port > 65_535) throw new ConfigValueError(key, 'host:port', text);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, '') || defaultHost, port };
}
