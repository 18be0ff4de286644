// The version a worker stamps on what it is about to build: the WAL insert
// position, read before the build's snapshots. Every commit visible to a later
// snapshot was inserted before it, so a build that starts after a commit gets a
// strictly higher version than one that started before it. (`pg_current_wal_lsn()`
// is the *write* position: with `synchronous_commit = off` a commit can be visible
// before it is written, so two builds on either side of it could share a version
// and the older one, flushed last, would win under `external_gte`.)
import { type Lsn, parseLsn } from '@flusso/core';

export interface VersionSource {
  query<R>(text: string): Promise<{ rows: R[] }>;
}

export async function readBuildVersion(db: VersionSource): Promise<Lsn> {
  const res = await db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return parseLsn(res.rows[0]?.lsn ?? '0/0');
}
