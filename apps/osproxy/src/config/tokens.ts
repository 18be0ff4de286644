// Bearer tokens: `tok=principal[:tenant],...`. A token may bind its principal to
// one tenant; with no tokens at all the proxy runs in open dev mode. The table is
// keyed by each token's SHA-256, so a request costs one hash whatever the number of
// tokens, and the raw secrets are not kept.
import { createHash } from 'node:crypto';
import { FlussoError, type PartitionId, parsePartitionId } from '@flusso/core';

export interface Principal {
  readonly name: string;
  readonly tenant: PartitionId | null;
}

/** Principals by `tokenDigest(token)`. */
export type TokenTable = ReadonlyMap<string, Principal>;

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}

export function parseTokens(spec: string): TokenTable {
  const table = new Map<string, Principal>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0)
      throw new FlussoError(
        'config_invalid',
        `tokens: entry ${table.size + 1} must be token=principal[:tenant]`,
      );
    const token = entry.slice(0, eq);
    const [name, tenant] = entry.slice(eq + 1).split(':', 2);
    if (!name) throw new FlussoError('config_invalid', `tokens: entry ${table.size + 1} has no principal`);
    table.set(tokenDigest(token), { name, tenant: tenant ? parsePartitionId(tenant) : null });
  }
  return table;
}
