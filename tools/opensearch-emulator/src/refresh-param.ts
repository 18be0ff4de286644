// The `refresh` URL parameter of writes: `true`/empty and `wait_for` make the write searchable.
import { OsError } from './errors.js';
import type { Index, Store } from './store.js';

function value(q: URLSearchParams): string | null {
  const r = q.get('refresh');
  if (r !== null && !['', 'true', 'false', 'wait_for'].includes(r))
    throw new OsError(400, 'illegal_argument_exception', `Unknown value for refresh: [${r}].`);
  return r;
}

export function refreshIfAsked(store: Store, q: URLSearchParams, names: Iterable<string>): void {
  const r = value(q);
  if (r === '' || r === 'true' || r === 'wait_for') store.refresh([...names]);
}

/** A single-document write refreshes only the shard it wrote to. */
export function refreshShardIfAsked(store: Store, q: URLSearchParams, index: Index, shard: number): void {
  const r = value(q);
  if (r === '' || r === 'true' || r === 'wait_for') store.refreshShard(index, shard);
}

/** `refresh=true` answers `forced_refresh: true`. */
export function refreshForced(q: URLSearchParams): boolean {
  const r = value(q);
  return r === '' || r === 'true';
}
