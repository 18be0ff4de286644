// One partition's view of one logical index under its placement: the physical
// index, ids, routing and injected fields going in, and the checks and reverse
// mapping coming out. Pure: no I/O, no placement lookup.
import {
  FlussoError,
  type IndexName,
  isFlussoError,
  isJsonObject,
  type JsonObject,
  type PartitionId,
  type Placement,
  parseIndexName,
} from '@flusso/core';
import { type BodyKind, grammarOptions, screenBody } from '../grammar/screen.js';
import { jObject } from '../json/build.js';
import type { JObject } from '../json/node.js';
import type { DocIdCodec } from './doc-id.js';
import { wrapQuery } from './query-wrap.js';

function render(template: string, logical: IndexName, partition: PartitionId): IndexName {
  const name = template.replaceAll('{index}', logical).replaceAll('{partition}', partition);
  try {
    return parseIndexName(name);
  } catch (error) {
    // Never fold case or escape: two partitions must never share a dedicated index.
    if (!isFlussoError(error, 'invalid_name')) throw error;
    throw new FlussoError('placement_missing', 'placement yields no valid index for this partition', {
      context: { partition },
    });
  }
}

export class PartitionView {
  readonly partition: PartitionId;
  readonly placement: Placement;
  readonly logical: IndexName;
  readonly physical: IndexName;
  /** Injected field → value; empty unless SharedIndex. */
  readonly inject: Readonly<Record<string, string>>;
  readonly #ids: DocIdCodec;

  constructor(options: {
    partition: PartitionId;
    placement: Placement;
    logical: IndexName;
    ids: DocIdCodec;
  }) {
    const { partition, placement, logical } = options;
    this.partition = partition;
    this.placement = placement;
    this.logical = logical;
    this.#ids = options.ids;
    this.physical =
      placement.mode === 'DedicatedCluster' ? logical : render(placement.indexTemplate, logical, partition);
    const inject: Record<string, string> = {};
    if (placement.mode === 'SharedIndex') {
      for (const [field, value] of Object.entries(placement.inject))
        inject[field] = value.replaceAll('{partition}', partition).replaceAll('{index}', logical);
    }
    this.inject = inject;
  }

  get shared(): boolean {
    return this.placement.mode === 'SharedIndex';
  }

  /** `routing` for upstream calls: the partition on a shared index, else none. */
  get routing(): Record<string, string> {
    return this.shared ? { routing: this.partition } : {};
  }

  /** Physical id of a client id (URL id or body id); undefined means auto-id. */
  physicalId(urlId: string | undefined, document?: JsonObject | null): string | undefined {
    if (!this.shared) return urlId;
    return this.#ids.physical(this.partition, this.logical, urlId, document);
  }

  /** Physical id of a logical id; a shared index needs the template to produce one. */
  requirePhysicalId(logicalId: string): string {
    return this.physicalId(logicalId) ?? logicalId;
  }

  /** Logical id, or undefined when the physical id is not this partition's. */
  logicalId(physicalId: string): string | undefined {
    return this.shared ? this.#ids.logical(this.partition, this.logical, physicalId) : physicalId;
  }

  /** The document to store: injected fields added; a client copy of one is refused. */
  prepareDocument(document: JsonObject): JsonObject {
    if (!this.shared) return document;
    for (const field of Object.keys(this.inject)) {
      if (Object.hasOwn(document, field)) {
        throw new FlussoError('malformed_request', 'document carries a field the proxy injects', {
          context: { field },
        });
      }
    }
    return { ...document, ...this.inject };
  }

  /**
   * A search-family body checked against the grammar (every placement) and, on a
   * shared index, rewritten (ids, source filters) and wrapped in the partition filter.
   */
  screenSearch(body: JObject | null, kind: BodyKind, maxDepth?: number): JObject | null {
    const options = grammarOptions({
      shared: this.shared,
      injected: Object.keys(this.inject),
      mapId: (id) => this.requirePhysicalId(id),
      ...(maxDepth === undefined ? {} : { maxDepth }),
    });
    const screened = body === null ? null : screenBody(body, kind, options);
    if (!this.shared) return screened;
    return wrapQuery(screened ?? jObject([]), { terms: this.inject });
  }

  /** Whether an upstream document (hit, get, mget doc) belongs to this view. */
  owns(doc: JsonObject): boolean {
    if (doc._index !== undefined && doc._index !== this.physical) return false;
    if (typeof doc._id === 'string' && this.logicalId(doc._id) === undefined) return false;
    const source = doc._source;
    // A nested inner hit's source is the nested object; its id is its parent's, checked above.
    if (this.shared && isJsonObject(source) && doc._nested === undefined) {
      for (const [field, value] of Object.entries(this.inject)) if (source[field] !== value) return false;
    }
    return true;
  }

  /** The client's view of an upstream document: logical index and id, no routing, no injected fields. */
  shapeDocument(doc: JsonObject): JsonObject {
    const out: JsonObject = { ...doc };
    if (out._index !== undefined) out._index = this.logical;
    if (typeof out._id === 'string') out._id = this.logicalId(out._id) ?? out._id;
    delete out._routing;
    // `explain` hits name the physical shard and node: nothing a tenant needs.
    delete out._shard;
    delete out._node;
    for (const key of ['_source', 'fields'] as const) {
      const value = out[key];
      if (isJsonObject(value)) out[key] = this.stripInjected(value);
    }
    return out;
  }

  /** A copy of `source` without the injected fields. */
  stripInjected(source: JsonObject): JsonObject {
    const out: JsonObject = { ...source };
    for (const field of Object.keys(this.inject)) delete out[field];
    return out;
  }
}
