// Reshapes every `hits.hits` array in a search-family response (top-level,
// inner hits, top_hits aggregations): foreign hits dropped, own hits shaped.
import { isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';
import type { PartitionView } from '../rewrite/partition-view.js';
import { logicalError } from './upstream-reply.js';

export interface ShapeCount {
  dropped: number;
}

function shapeHitArray(hits: readonly JsonValue[], view: PartitionView, count: ShapeCount): JsonValue[] {
  const out: JsonValue[] = [];
  for (const hit of hits) {
    if (!isJsonObject(hit) || !view.owns(hit)) {
      count.dropped += 1;
      continue;
    }
    out.push(shapeTree(view.shapeDocument(hit), view, count));
  }
  return out;
}

function shapeTree(node: JsonValue, view: PartitionView, count: ShapeCount): JsonValue {
  if (Array.isArray(node)) return node.map((item) => shapeTree(item, view, count));
  if (!isJsonObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'hits' && isJsonObject(value) && Array.isArray(value.hits)) {
      out[key] = { ...value, hits: shapeHitArray(value.hits, view, count) };
    } else if (key === '_source' || key === 'fields') {
      out[key] = value;
    } else {
      out[key] = shapeTree(value, view, count);
    }
  }
  return out;
}

/** Shard failures name the physical index and carry upstream reasons: logical names only. */
function shapeShards(shards: JsonValue | undefined, view: PartitionView): JsonValue | undefined {
  if (!isJsonObject(shards) || !Array.isArray(shards.failures)) return shards;
  return {
    ...shards,
    failures: shards.failures.map((failure) => {
      if (!isJsonObject(failure)) return failure;
      const { index: _physical, node: _node, ...rest } = failure;
      return { ...rest, index: view.logical, reason: logicalError(failure.reason, view) };
    }),
  };
}

/** `_delete_by_query` item failures: logical index and id, rewritten cause. */
function shapeItemFailures(failures: JsonValue[], view: PartitionView): JsonValue[] {
  return failures.map((failure) => {
    if (!isJsonObject(failure)) return failure;
    const { index: _physical, id, cause, ...rest } = failure;
    return {
      ...rest,
      index: view.logical,
      ...(typeof id === 'string' ? { id: view.logicalId(id) ?? id } : {}),
      ...(cause === undefined ? {} : { cause: logicalError(cause, view) }),
    };
  });
}

/** The client's view of a search-family response; counts dropped foreign hits in `count`. */
export function shapeSearchResponse(
  response: JsonObject,
  view: PartitionView,
  count: ShapeCount,
): JsonObject {
  const shaped = shapeTree(response, view, count) as JsonObject;
  if (response._shards !== undefined) shaped._shards = shapeShards(response._shards, view) ?? null;
  if (Array.isArray(response.failures)) shaped.failures = shapeItemFailures(response.failures, view);
  return shaped;
}
