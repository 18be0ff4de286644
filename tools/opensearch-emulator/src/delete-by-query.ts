// `_delete_by_query`: deletes what a refreshed search matches, with the
// request checks OpenSearch's reindex module makes.
import { deleteDoc } from './documents.js';
import { OsError, validationFailed } from './errors.js';
import { matches } from './query.js';
import { prepareQuery } from './query-prep.js';
import { searchScope } from './search-scope.js';
import type { FullHit, Store } from './store.js';

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

interface Outcome {
  deleted: number;
  conflicts: number;
  failures: Json[];
}

function deleteMatched(store: Store, victims: FullHit[], abort: boolean): Outcome {
  const out: Outcome = { deleted: 0, conflicts: 0, failures: [] };
  for (const v of victims) {
    const index = store.indexes.get(v.index);
    if (!index) continue;
    try {
      const routing = v.doc.routing === undefined ? {} : { routing: v.doc.routing };
      deleteDoc(index, v.id, { ...routing, ifSeqNo: v.doc.seqNo, ifPrimaryTerm: v.doc.primaryTerm });
      out.deleted++;
    } catch (error) {
      if (!(error instanceof OsError) || error.status !== 409) throw error;
      out.conflicts++;
      if (abort) {
        out.failures.push({
          index: v.index,
          id: v.id,
          cause: { ...error.item(), shard: String(v.doc.shard), index: v.index },
          status: 409,
        });
        break;
      }
    }
  }
  return out;
}

function status(total: number, o: Outcome, batches: number): Json {
  return {
    total,
    deleted: o.deleted,
    batches,
    version_conflicts: o.conflicts,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
  };
}

function sliceStatuses(count: number, victims: FullHit[], o: Outcome, scrollSize: number): Json[] {
  return Array.from({ length: count }, (_, i) => {
    const mine = victims.filter((_, j) => j % count === i).length;
    const share: Outcome = { deleted: Math.min(mine, o.deleted), conflicts: 0, failures: [] };
    return { slice_id: i, ...status(mine, share, Math.ceil(mine / scrollSize)) };
  });
}

/** Runs a delete-by-query; the reply's status is 409 when a conflict aborted it. */
export function deleteByQuery(
  store: Store,
  expression: string,
  body: Json,
  q: URLSearchParams,
): { status: number; body: Json } {
  for (const key of ['stored_fields', '_source', 'docvalue_fields'])
    if (body[key] !== undefined) throw validationFailed([`${key} is not supported in this context`]);
  if (body.query === undefined) throw validationFailed(['query is missing']);
  const max = limits(body, q);
  const active = Number(q.get('wait_for_active_shards') ?? 1);
  if (Number.isInteger(active) && active > 1)
    return {
      status: 503,
      body: {
        ...status(0, { deleted: 0, conflicts: 0, failures: [] }, 0),
        failures: [
          {
            cause: {
              type: 'unavailable_shards_exception',
              reason: `[${expression}][0] Not enough active copies to meet shard count of [${active}] (have 1, needed ${active}). Timeout: [1s]`,
            },
            status: 503,
          },
        ],
      },
    };
  const query = prepareQuery(store, body.query);
  const matched = searchScope(store, expression, q).filter((h) => matches(query, h));
  const victims = max === undefined ? matched : matched.slice(0, max);
  const abort = (q.get('conflicts') ?? body.conflicts ?? 'abort') === 'abort';
  const outcome = deleteMatched(store, victims, abort);
  if (q.get('refresh') === 'true') store.refresh([...new Set(victims.map((v) => v.index))]);
  const scrollSize = intParam(q, 'scroll_size') ?? 1000;
  const slicesRaw = q.get('slices');
  const slices =
    slicesRaw === 'auto'
      ? (store.indexes.get(victims[0]?.index ?? '')?.layout.shards ?? 1)
      : Number(slicesRaw ?? 1);
  const reply: Json = {
    took: 1,
    timed_out: false,
    ...status(victims.length, outcome, victims.length === 0 ? 0 : Math.ceil(victims.length / scrollSize)),
    ...(slices > 1 ? { slices: sliceStatuses(slices, victims, outcome, scrollSize) } : {}),
    failures: outcome.failures,
  };
  if (q.get('wait_for_completion') === 'false') {
    const task = `emulator:${store.tasks.size + 1}`;
    store.tasks.set(task, {
      completed: true,
      task: {
        node: 'emulator',
        id: store.tasks.size + 1,
        type: 'transport',
        action: 'indices:data/write/delete/byquery',
        status: reply,
      },
      response: reply,
    });
    return { status: 200, body: { task } };
  }
  return { status: outcome.failures.length > 0 ? 409 : 200, body: reply };
}
