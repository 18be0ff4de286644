// `flusso indexes` and `flusso reindex <index>`: clients of a running daemon's
// private surface (HTTP Basic).
import { FlussoError } from '@flusso/core';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_USER } from '../cli/defaults.js';
import { type FlagValues, parseFlags, stringFlag } from '../cli/flags.js';
import { type CliIo, print } from '../cli/io.js';

export const remoteFlags = {
  server: { type: 'string', default: 'http://127.0.0.1:9465' },
  'admin-user': { type: 'string', default: DEFAULT_ADMIN_USER },
  'admin-password': { type: 'string', default: DEFAULT_ADMIN_PASSWORD },
} as const;

async function call(values: FlagValues, method: string, path: string): Promise<Response> {
  const server = stringFlag(values, 'server') ?? '';
  const auth = Buffer.from(
    `${stringFlag(values, 'admin-user')}:${stringFlag(values, 'admin-password')}`,
  ).toString('base64');
  try {
    return await fetch(new URL(path, server), { method, headers: { authorization: `Basic ${auth}` } });
  } catch (error) {
    throw new FlussoError('surface_unreachable', `cannot reach the flusso private surface at ${server}`, {
      cause: error,
    });
  }
}

export async function indexesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, remoteFlags, io.env);
  const res = await call(values, 'GET', '/indexes');
  if (!res.ok) {
    print(io.stderr, `flusso indexes: server answered ${res.status}`);
    return 1;
  }
  const indexes = (await res.json()) as Record<string, string>;
  for (const [name, state] of Object.entries(indexes)) print(io.stdout, `${name}\t${state}`);
  return 0;
}

export async function reindexCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, remoteFlags, io.env);
  const index = positionals[0];
  if (!index) throw new FlussoError('config_invalid', 'usage: flusso reindex <index>');
  const res = await call(values, 'POST', `/reindex?index=${encodeURIComponent(index)}`);
  if (res.status !== 202) {
    print(io.stderr, `flusso reindex: server answered ${res.status} ${await res.text()}`);
    return 1;
  }
  print(io.stdout, `reindex of ${index} accepted`);
  return 0;
}
