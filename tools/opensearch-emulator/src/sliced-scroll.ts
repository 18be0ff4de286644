// `slice: {id, max, field}` on a scroll: the hits split into `max` disjoint
// slices, as OpenSearch's SliceBuilder splits them. With fewer slices than
// shards a slice takes whole shards (`shard % max == id`); with more, each shard
// is split between the slices that map to it by a hash of the doc's field
// (`_id` by default: murmur3 with seed 7919 over its UTF-8 bytes; OpenSearch
// hashes the encoded uid, so which doc lands in which sub-slice may differ).
import { OsError } from './errors.js';
import { fieldValues } from './query.js';
import { murmur3 } from './routing.js';
import type { FullHit, Index } from './store.js';

type Q = Record<string, unknown>;

interface Slice {
  readonly id: number;
  readonly max: number;
  readonly field: string;
}

function parseSlice(spec: unknown): Slice {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new OsError(400, 'parsing_exception', '[slice] failed to parse object');
  const s = spec as Q;
  const id = Number(s.id);
  const max = Number(s.max);
  if (!Number.isInteger(id) || id < 0)
    throw new OsError(400, 'illegal_argument_exception', 'id must be greater than or equal to 0');
  if (!Number.isInteger(max) || max <= 1)
    throw new OsError(400, 'illegal_argument_exception', 'max must be greater than 1');
  if (id >= max) throw new OsError(400, 'illegal_argument_exception', 'max must be greater than id');
  return { id, max, field: typeof s.field === 'string' ? s.field : '_id' };
}

function hashOf(hit: FullHit, field: string): number {
  const value = field === '_id' ? hit.id : fieldValues(hit, field)[0];
  return murmur3(new TextEncoder().encode(String(value ?? '')), 7919);
}

/** Whether a hit of a shard belongs to the slice. */
function inSlice(slice: Slice, hit: FullHit, shards: number): boolean {
  const shard = hit.doc.shard;
  if (shards > 1 && slice.max < shards) return shard % slice.max === slice.id;
  if (shards > 1) {
    if (slice.id % shards !== shard) return false;
    const perShard = Math.floor(slice.max / shards) + (slice.max % shards > shard ? 1 : 0);
    if (perShard === 1) return true;
    const sub = Math.floor(slice.id / shards);
    return ((hashOf(hit, slice.field) % perShard) + perShard) % perShard === sub;
  }
  return ((hashOf(hit, slice.field) % slice.max) + slice.max) % slice.max === slice.id;
}

/** The hits of one slice; the request must be a scroll and within `index.max_slices_per_scroll`. */
export function sliceHits(
  hits: FullHit[],
  spec: unknown,
  isScroll: boolean,
  indexOf: (name: string) => Index | undefined,
): FullHit[] {
  if (spec === undefined) return hits;
  const slice = parseSlice(spec);
  if (!isScroll)
    throw new OsError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: using [slice] is not allowed in a non-scroll context;',
    );
  const indexes = new Set(hits.map((h) => h.index));
  for (const name of indexes) {
    const limit = Number(indexOf(name)?.settings.max_slices_per_scroll ?? 1024);
    if (slice.max > limit)
      throw new OsError(
        400,
        'illegal_argument_exception',
        `The number of slices [${slice.max}] is too large. It must be less than [${limit}]. This limit can be set by changing the [index.max_slices_per_scroll] index level setting.`,
      );
  }
  return hits.filter((h) => inSlice(slice, h, Number(indexOf(h.index)?.settings.number_of_shards ?? 1)));
}
