// `_delete_by_query`: deletes what a refreshed search matches, with the
// request checks OpenSearch's reindex module makes.
import { deleteDoc } from './documents.js';
import { OsError, validationFailed } from './errors.js';
import { matches } from './query.js';
import { prepareQuery } from './query-prep.js';
import { searchScope } from './search-scope.js';
import { docKey, type Store } from './store.js';

type Json = Record<string, unknown>;

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Failed to parse int parameter [${name}] with value [${raw}]`,
    );
  return n;
}

function limits(body: Json, q: URLSearchParams): number | undefined {
  const conflicts = q.get('conflicts') ?? (body.conflicts === undefined ? null : String(body.conflicts));
  if (conflicts !== null && conflicts !== 'abort' && conflicts !== 'proceed')
    throw new OsError(
      400,
      'illegal_argument_exception',
      `conflicts may only be "proceed" or "abort" but was [${conflicts}]`,
    );
  const size = intParam(q, 'size');
  const maxParam = intParam(q, 'max_docs');
  const maxBody = body.max_docs === undefined ? undefined : Number(body.max_docs);
  if (size !== undefined && maxParam !== undefined && size !== maxParam)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[max_docs] set to two different values [${size}] and [${maxParam}]`,
    );
  const max = maxParam ?? size ?? maxBody;
  if (max !== undefined && max < 0)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[max_docs] parameter cannot be negative, found [${max}]`,
    );
  intParam(q, 'scroll_size');
  const slicesRaw = q.get('slices');
  if (
    slicesRaw !== null &&
    slicesRaw !== 'auto' &&
    !(Number.isInteger(Number(slicesRaw)) && Number(slicesRaw) > 0)
  )
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[slices] must be a positive integer or the string "auto", but was [${slicesRaw}]`,
    );
  const slices = slicesRaw === null || slicesRaw === 'auto' ? 1 : Number(slicesRaw);
  if (max !== undefined && max < slices)
    throw new OsError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: [max_docs] should be >= [slices];`,
    );
  const rps = q.get('requests_per_second');
  if (rps !== null && rps !== '-1' && !(Number(rps) > 0))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.`,
    );
  return max;
}

export function deleteByQuery(store: Store, expression: string, body: Json, q: URLSearchParams): Json {
  if (body.query === undefined) throw validationFailed(['query is missing']);
  const max = limits(body, q);
  const query = prepareQuery(store, body.query);
  const matched = searchScope(store, expression, q).filter((h) => matches(query, h));
  const victims = max === undefined ? matched : matched.slice(0, max);
  for (const v of victims) {
    const index = store.indexes.get(v.index);
    if (!index) continue;
    deleteDoc(index, v.id, v.doc.routing === undefined ? {} : { routing: v.doc.routing });
    index.searchable.delete(docKey(v.doc.shard, v.id));
  }
  if (q.get('refresh') === 'true') store.refresh([...new Set(victims.map((v) => v.index))]);
  return {
    took: 1,
    timed_out: false,
    total: victims.length,
    deleted: victims.length,
    batches: victims.length === 0 ? 0 : 1,
    version_conflicts: 0,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
    failures: [],
  };
}
