// The lock the daemon's own tests run on: one `users` index over an empty schema,
// a Postgres source and one OpenSearch sink that is never reached (the tests hand
// the daemon doubles through its Backends seam).
import type { IndexSchema } from '@flusso/core';
import { parseConfigText } from './config/load-config.js';
import type { FlussoLock } from './lock/lock.js';

export const USERS: IndexSchema = {
  version: 1,
  table: 'users',
  schema: 'public',
  primaryKey: 'id',
  filters: [],
  fields: [],
};

/** The lock, with `prelude` (top-level TOML such as `on_error = "skip"`) before the tables. */
export function usersLock(prelude = ''): FlussoLock {
  return {
    lock_version: 1,
    config: parseConfigText(
      'flusso.toml',
      `${prelude}[source]\ntype = "postgres"\n[sinks.primary]\ntype = "opensearch"\nurl = "http://x"\n`,
    ),
    indexes: [{ name: 'users', enabled: true, schema_file: 'users.schema.yml', schema: USERS, hash: 'h' }],
  };
}
