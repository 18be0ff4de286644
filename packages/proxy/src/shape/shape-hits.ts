// Reshapes every `hits.hits` array in a search-family response (top-level,
// inner hits, top_hits aggregations): foreign hits dropped, own hits shaped.
// Works on the lossless tree: sort values, scores, aggregation values and
// sources come out exactly as the cluster wrote them.
import { isJsonObject, type JsonValue } from '@flusso/core';
import { fromPlain, jArray, mapItems, mapMembers, withMember } from '../json/build.js';
import { isArray, isObject, type JNode, type JObject, member } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { logicalError } from './upstream-reply.js';

export interface ShapeCount {
  dropped: number;
}

function shapeHitArray(hits: readonly JNode[], view: PartitionView, count: ShapeCount): JNode {
  const out: JNode[] = [];
  for (const hit of hits) {
    if (!isObject(hit) || !view.owns(hit)) {
      count.dropped += 1;
      continue;
    }
    out.push(shapeTree(view.shapeDocument(hit), view, count));
  }
  return jArray(out);
}

function shapeTree(node: JNode, view: PartitionView, count: ShapeCount): JNode {
  if (isArray(node)) return mapItems(node, (item) => shapeTree(item, view, count));
  if (!isObject(node)) return node;
  return mapMembers(node, (m) => {
    if (m.key === '_source' || m.key === 'fields') return m.value;
    const hits = member(m.value, 'hits');
    if (m.key === 'hits' && isObject(m.value) && isArray(hits)) {
      return withMember(m.value, 'hits', shapeHitArray(hits.items, view, count));
    }
    return shapeTree(m.value, view, count);
  });
}

/** Shard failures name the physical index and carry upstream reasons: logical names only. */
function shapeShards(shards: JNode, view: PartitionView): JNode {
  const failures = member(shards, 'failures');
  if (!isObject(shards) || !isArray(failures)) return shards;
  const shaped = failures.items.map((failure): JsonValue => {
    const plain = toPlain(failure);
    if (!isJsonObject(plain)) return plain;
    const { index: _physical, node: _node, ...rest } = plain;
    return { ...rest, index: view.logical, reason: logicalError(plain.reason, view) };
  });
  return withMember(shards, 'failures', fromPlain(shaped));
}

/** `_delete_by_query` item failures: logical index and id, rewritten cause. */
function shapeItemFailures(failures: JNode, view: PartitionView): JNode {
  const shaped = (toPlain(failures) as JsonValue[]).map((failure): JsonValue => {
    if (!isJsonObject(failure)) return failure;
    const { index: _physical, id, cause, ...rest } = failure;
    return {
      ...rest,
      index: view.logical,
      ...(typeof id === 'string' ? { id: view.logicalId(id) ?? id } : {}),
      ...(cause === undefined ? {} : { cause: logicalError(cause, view) }),
    };
  });
  return fromPlain(shaped);
}

/** The client's view of a search-family response; counts dropped foreign hits in `count`. */
export function shapeSearchResponse(response: JObject, view: PartitionView, count: ShapeCount): JObject {
  const shaped = shapeTree(response, view, count) as JObject;
  return mapMembers(shaped, (m) => {
    if (m.key === '_shards') return shapeShards(m.value, view);
    if (m.key === 'failures' && isArray(m.value)) return shapeItemFailures(m.value, view);
    return m.value;
  });
}
