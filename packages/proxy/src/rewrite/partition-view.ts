// One partition's view of one logical index under its placement: the physical
// index, ids, routing and injected fields going in, and the checks and reverse
// mapping coming out. Pure: no I/O, no placement lookup.
import {
  type IndexName,
  isFlussoError,
  layoutInjectedFields,
  type PartitionId,
  type Placement,
  parseIndexName,
  renderLayoutTemplate,
} from '@flusso/core';
import { type BodyKind, grammarOptions, screenBody } from '../grammar/screen.js';
import type { GrammarOptions } from '../grammar/walker.js';
import { encodeNode, type ReadBody } from '../json/body.js';
import { jObject, jString, mapMembers, memberOf, withoutMembers } from '../json/build.js';
import { emit } from '../json/emit.js';
import {
  hasMember,
  isObject,
  type JMember,
  type JObject,
  type JString,
  member,
  stringOf,
} from '../json/node.js';
import type { Alloc } from '../json/splice-bytes.js';
import { ProxyError } from '../request/proxy-error.js';
import { sharedByAnother } from './dedicated-name.js';
import type { DocIdCodec } from './doc-id.js';
import { isInjected } from './injected-fields.js';
import { type PartitionFilter, partitionFilter, wrapQuery } from './query-wrap.js';
import {
  type Appended,
  injectBytes,
  injectText,
  type WrapText,
  wrapQueryBytes,
  wrapText,
} from './wrap-bytes.js';

function render(template: string, logical: IndexName, partition: PartitionId): IndexName {
  const name = renderLayoutTemplate(template, partition, logical);
  try {
    return parseIndexName(name);
  } catch (error) {
    // Never fold case or escape: two partitions must never share a dedicated index.
    if (!isFlussoError(error, 'invalid_name')) throw error;
    throw new ProxyError('placement_missing', 'placement yields no valid index for this partition', {
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
  readonly #injectMembers: readonly JMember[];
  readonly #injectedKeys: ReadonlySet<string>;
  /** Injected field → value pairs (none unless SharedIndex), and the fields alone. */
  readonly injectEntries: readonly (readonly [string, string])[];
  readonly injectedFields: readonly string[];
  /** The logical index name as the JSON literal the shaper writes for `_index`. */
  readonly logicalLiteral: string;
  readonly #logicalNode: JString;
  #grammar: { readonly maxDepth: number | undefined; readonly options: GrammarOptions } | undefined;
  #filter: PartitionFilter | undefined;
  #wrapText: WrapText | undefined;
  #injectText: Appended | undefined;
  #routing: Readonly<Record<string, string>> | undefined;

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
    // A dedicated index is read and written unfiltered: it must be this partition's alone.
    if (placement.mode === 'DedicatedIndex' && sharedByAnother(placement.indexTemplate, this.physical)) {
      throw new ProxyError(
        'placement_missing',
        'placement yields an index another partition could also have',
        {
          context: { partition, rule: 'ambiguous_dedicated_index' },
        },
      );
    }
    const inject =
      placement.mode === 'SharedIndex' ? layoutInjectedFields(placement.inject, partition, logical) : {};
    this.inject = inject;
    this.#injectMembers = Object.entries(inject).map(([field, value]) => memberOf(field, jString(value)));
    this.#injectedKeys = new Set(Object.keys(inject));
    this.injectEntries = Object.entries(inject);
    this.injectedFields = Object.keys(inject);
    this.#logicalNode = jString(logical);
    this.logicalLiteral = emit(this.#logicalNode);
  }

  get shared(): boolean {
    return this.placement.mode === 'SharedIndex';
  }

  /** `routing` for upstream calls: the partition on a shared index, else none (one object per view). */
  get routing(): Readonly<Record<string, string>> {
    const routing: Record<string, string> = this.shared ? { routing: this.partition } : {};
    this.#routing ??= Object.freeze(routing);
    return this.#routing;
  }

  /** Physical id of a client id (URL id or body id); undefined means auto-id. */
  physicalId(urlId: string | undefined, document?: JObject | null): string | undefined {
    if (!this.shared) return urlId;
    return this.#ids.physical(this.partition, this.logical, urlId, document);
  }

  /** Physical id of a logical id; a shared index needs the template to produce one. */
  requirePhysicalId(logicalId: string): string {
    return this.physicalId(logicalId) ?? logicalId;
  }

  /**
   * The prefix `logicalId` strips (`''` when ids are not rewritten), or undefined when
   * the codec maps ids some other way: a logical id is then the physical id's tail.
   */
  get logicalIdPrefix(): string | undefined {
    if (!this.shared) return '';
    return this.#ids.prefix?.(this.partition, this.logical);
  }

  /** Logical id, or undefined when the physical id is not this partition's. */
  logicalId(physicalId: string): string | undefined {
    return this.shared ? this.#ids.logical(this.partition, this.logical, physicalId) : physicalId;
  }

  /** The document to store: injected fields appended (byte-exact otherwise); a client copy of one is refused. */
  prepareDocument(document: JObject): JObject {
    if (!this.shared) return document;
    this.#refuseInjected(document);
    return jObject([...document.members, ...this.#injectMembers]);
  }

  /** The bytes of `prepareDocument(read.node)`: the client's own bytes, injected fields spliced in where certain. */
  documentBytes(read: ReadBody<JObject>, alloc?: Alloc): Uint8Array {
    if (!this.shared) return encodeNode(read.node, read);
    this.#refuseInjected(read.node);
    this.#injectText ??= injectText(this.#injectMembers);
    return injectBytes(read, this.#injectText, alloc) ?? encodeNode(this.prepareDocument(read.node), read);
  }

  #refuseInjected(document: JObject): void {
    for (const field of Object.keys(this.inject)) {
      if (hasMember(document, field)) {
        throw new ProxyError('malformed_request', 'document carries a field the proxy injects', {
          context: { field },
        });
      }
    }
  }

  /**
   * A search-family body checked against the grammar (every placement) and, on a
   * shared index, rewritten (ids, source filters) and wrapped in the partition filter.
   */
  screenSearch(body: JObject | null, kind: BodyKind, maxDepth?: number): JObject | null {
    return this.wrapSearch(this.screenOnly(body, kind, maxDepth));
  }

  /** A search-family body checked against the grammar, with its rewrites (ids, source filters) but not wrapped. */
  screenOnly(body: JObject | null, kind: BodyKind, maxDepth?: number): JObject | null {
    return body === null ? null : screenBody(body, kind, this.#grammarOptions(maxDepth));
  }

  /** A screened body wrapped in the partition filter on a shared index (as it is otherwise). */
  wrapSearch(screened: JObject | null): JObject | null {
    if (!this.shared) return screened;
    return wrapQuery(screened ?? jObject([]), this.#partitionFilter());
  }

  /**
   * The upstream bytes of a screened body (`{}` for none), wrapped as `wrapSearch`
   * wraps it: spliced around the client's own bytes when the grammar changed nothing.
   */
  searchBytes(screened: JObject | null, read: ReadBody<JObject> | null, alloc?: Alloc): Uint8Array {
    if (this.shared && read !== null && screened === read.node) {
      this.#wrapText ??= wrapText(this.#partitionFilter());
      const spliced = wrapQueryBytes(read, this.#wrapText, alloc);
      if (spliced !== undefined) return spliced;
    }
    return encodeNode(this.wrapSearch(screened) ?? jObject([]), read);
  }

  #partitionFilter(): PartitionFilter {
    this.#filter ??= partitionFilter({ terms: this.inject });
    return this.#filter;
  }

  /** The grammar options of this view (kept for the last `maxDepth` asked: one per deployment). */
  #grammarOptions(maxDepth: number | undefined): GrammarOptions {
    const cached = this.#grammar;
    if (cached !== undefined && cached.maxDepth === maxDepth) return cached.options;
    const options = grammarOptions({
      shared: this.shared,
      injected: Object.keys(this.inject),
      mapId: (id) => this.requirePhysicalId(id),
      renamed: this.physical !== this.logical,
      ...(maxDepth === undefined ? {} : { maxDepth }),
    });
    this.#grammar = { maxDepth, options };
    return options;
  }

  /** Whether an upstream document (hit, get, mget doc) belongs to this view. */
  owns(doc: JObject): boolean {
    const index = member(doc, '_index');
    if (index !== undefined && stringOf(index) !== this.physical) return false;
    const id = stringOf(member(doc, '_id'));
    if (id !== undefined && this.logicalId(id) === undefined) return false;
    const source = member(doc, '_source');
    // A nested inner hit's source is the nested object; its id is its parent's, checked above.
    if (this.shared && isObject(source) && !hasMember(doc, '_nested')) {
      for (const [field, value] of this.injectEntries) {
        if (stringOf(member(source, field)) !== value) return false;
      }
    }
    return true;
  }

  /** The client's view of an upstream document: logical index and id, no routing, no injected fields. */
  shapeDocument(doc: JObject): JObject {
    return mapMembers(withoutMembers(doc, DROPPED), (m) => {
      if (m.key === '_index') return this.#logicalNode;
      if (m.key === '_id' && m.value.t === 's') {
        const logical = this.logicalId(m.value.value);
        return logical === undefined ? m.value : jString(logical);
      }
      if (m.key === '_source' && isObject(m.value)) return this.stripInjected(m.value);
      // `fields` and a wildcard highlight name multi-fields too (`_tenant.keyword`).
      if (WITH_SUBFIELDS.has(m.key) && isObject(m.value)) return this.#stripInjectedFields(m.value);
      return m.value;
    });
  }

  /** `fields` or `highlight` without the injected fields and their sub-fields (the same node when it has none). */
  #stripInjectedFields(fields: JObject): JObject {
    if (!this.shared || !fields.members.some((m) => isInjected(this.injectedFields, m.key, true)))
      return fields;
    return jObject(fields.members.filter((m) => !isInjected(this.injectedFields, m.key, true)));
  }

  /** `source` without the injected fields (the same node when it has none). */
  stripInjected(source: JObject): JObject {
    return this.shared ? withoutMembers(source, this.#injectedKeys) : source;
  }
}

// `_routing` is the partition; `explain` hits name the physical shard and node: nothing a tenant needs.
const DROPPED = new Set(['_routing', '_shard', '_node']);
// Where a hit can carry the injected fields besides its source: its fields and a wildcard
// highlight, both by field name, so with their multi-fields (`_tenant.keyword`).
const WITH_SUBFIELDS = new Set(['fields', 'highlight']);
