// In-memory indexes: shards of documents with per-shard sequence numbers, a
// searchable view that only a refresh updates, aliases with their properties,
// templates, and frozen views for scroll and PIT.

import { randomUUID } from 'node:crypto';
import { type AliasProps, AliasTable, aliasProps } from './aliases.js';
import { indexNotFound, OsError } from './errors.js';
import { normalizeSettings, shardLayout } from './index-settings.js';
import { applyMapping, checkMappingLimits, type Detection, type Props } from './mapping.js';

import { checkMappings, expandDotted } from './mapping-rules.js';
import { checkNestedLimit } from './nested.js';
import type { Hit } from './query.js';
import type { ShardLayout } from './routing.js';
import { type IndexTemplate, matchingTemplate, withTemplate } from './templates.js';
import { wildcardRegExp } from './wildcard.js';

const off = (v: unknown) => v === false || v === 'false';
const on = (v: unknown) => v === true || v === 'true';

export interface StoredDoc {
  readonly id: string;
  readonly shard: number;
  /** The `_source` exactly as the client sent it. */
  readonly raw: string;
  /** The parsed `_source`, for queries and mappings. */
  readonly source: Record<string, unknown>;
  /** A 64-bit version: a bigint past 2^53 (an external version), never rounded. */
  readonly version: number | bigint;
  readonly seqNo: number;
  readonly primaryTerm: number;
  readonly routing?: string;
}

export interface Tombstone {
  readonly version: number | bigint;
  readonly seqNo: number;
  readonly primaryTerm: number;
  /** When the delete ran (ms): past `index.gc_deletes` the tombstone no longer counts. */
  readonly deletedAt: number;
}

export interface Index {
  readonly name: string;
  readonly uuid: string;
  readonly created: number;
  settings: Record<string, unknown>;
  mappings: { dynamic?: boolean | string; properties: Props; [k: string]: unknown };
  readonly layout: ShardLayout;
  /** Keyed by `docKey(shard, id)`: the same id may live on two shards under two routings. */
  readonly docs: DocTable;
  searchable: Map<string, StoredDoc>;
  readonly tombstones: Map<string, Tombstone>;
  /** The next sequence number of each shard. */
  readonly seqNos: number[];
  closed: boolean;
}

/** Whether an index keeps `_source` (`_source: {enabled: false}` drops it). */
export function sourceEnabled(index: Index | undefined): boolean {
  const spec = index?.mappings._source as { enabled?: unknown } | undefined;
  return spec?.enabled !== false && spec?.enabled !== 'false';
}

export const docKey = (shard: number, id: string): string => `${shard}\u0000${id}`;

/**
 * Documents keyed by `docKey(shard, id)`. `get`/`has` with a bare id (tests reading
 * what a cluster holds) find the document with that id on whichever shard it lives.
 */
export class DocTable extends Map<string, StoredDoc> {
  override get(key: string): StoredDoc | undefined {
    const direct = super.get(key);
    if (direct !== undefined || key.includes('\u0000')) return direct;
    for (const doc of this.values()) if (doc.id === key) return doc;
    return undefined;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}

export type FullHit = Hit & { index: string; doc: StoredDoc };

/** Scroll and PIT contexts; a scroll keeps the page size and `_source` filter of its first request. */
export interface Cursor {
  hits: Hit[];
  index: string[];
  offset: number;
  size?: number;
  source?: unknown;
  body?: Record<string, unknown>;
}

const INDEX_NAME = /^[^_\-+\\/*?"<>| ,#:A-Z][^\\/*?"<>| ,#:A-Z]*$/;

export class Store {
  readonly indexes = new Map<string, Index>();
  readonly aliases = new AliasTable();
  readonly templates = new Map<string, IndexTemplate>();
  readonly componentTemplates = new Map<string, Record<string, unknown>>();
  readonly cursors = new Map<string, Cursor>();
  /** `_cluster/settings`, flat dotted keys. */
  readonly clusterSettings: { persistent: Record<string, unknown>; transient: Record<string, unknown> } = {
    persistent: {},
    transient: {},
  };
  readonly pipelines = new Map<string, Record<string, unknown>>();
  /** Finished background tasks (`wait_for_completion=false`), by task id. */
  readonly tasks = new Map<string, Record<string, unknown>>();

  createIndex(name: string, requested: Record<string, unknown>): Index {
    if (this.indexes.has(name) || this.aliases.has(name)) {
      const existing = this.indexes.get(name);
      throw new OsError(
        400,
        'resource_already_exists_exception',
        `index [${name}/${existing?.uuid ?? randomUUID()}] already exists`,
        { index: name, index_uuid: existing?.uuid ?? '_na_' },
      );
    }
    if (!INDEX_NAME.test(name) || name === '.' || name === '..' || Buffer.byteLength(name) > 255)
      throw new OsError(400, 'invalid_index_name_exception', `Invalid index name [${name}]`, { index: name });
    checkMappings(requested.mappings);
    const body = withTemplate(requested, matchingTemplate(this.templates, name), this.componentTemplates);
    const mappings = (body.mappings ?? {}) as Record<string, unknown>;
    const settings = normalizeSettings(body.settings);
    const aliases = Object.entries((body.aliases ?? {}) as Record<string, Record<string, unknown>>).map(
      ([a, spec]) => [a, aliasProps(spec ?? {})] as const,
    );
    const layout = shardLayout(settings);
    checkMappingLimits(name, settings, expandDotted((mappings.properties ?? {}) as Props) as Props);
    settings.number_of_shards ??= String(layout.shards);
    settings.number_of_replicas ??= '1';
    const index: Index = {
      name,
      uuid: randomUUID().replaceAll('-', '').slice(0, 22),
      created: Date.now(),
      settings,
      mappings: {
        ...mappings,
        properties: expandDotted((mappings.properties ?? {}) as Props) as Props,
      },
      layout,
      docs: new DocTable(),
      searchable: new Map(),
      tombstones: new Map(),
      seqNos: Array.from({ length: layout.shards }, () => 0),
      closed: false,
    };
    this.indexes.set(name, index);
    for (const [alias, props] of aliases) this.addAlias(alias, name, props);
    return index;
  }

  /** `PUT /{index}/_mapping`: new fields are added; an existing field cannot change type. */
  putMapping(name: string, body: Record<string, unknown>): void {
    checkMappings(body, true);
    const properties = expandDotted((body.properties ?? {}) as Props) as Props;
    for (const target of this.resolve(name, false)) {
      const index = this.indexes.get(target);
      if (!index) continue;
      for (const [field, mapping] of Object.entries(properties)) {
        const existing = index.mappings.properties[field];
        if (existing !== undefined && (existing.type ?? 'object') !== (mapping.type ?? 'object')) {
          throw new OsError(
            400,
            'illegal_argument_exception',
            `mapper [${field}] cannot be changed from type [${existing.type ?? 'object'}] to [${mapping.type ?? 'object'}]`,
          );
        }
      }
      // The merged mapping must stay within the index's limits, else nothing changes.
      const merged = structuredClone(index.mappings.properties);
      mergeProperties(merged, structuredClone(properties));
      checkMappingLimits(index.name, index.settings, merged);
      for (const [k, v] of Object.entries(body))
        if (k !== 'properties') index.mappings[k] = v as boolean | string | Props;
      mergeProperties(index.mappings.properties, properties);
    }
  }

  deleteIndex(name: string, includeHidden = false): void {
    for (const target of this.resolve(name, false, includeHidden)) {
      this.indexes.delete(target);
      this.aliases.dropIndex(target);
    }
  }

  addAlias(alias: string, index: string, props: AliasProps = {}): void {
    if (!this.indexes.has(index)) throw indexNotFound(index);
    if (this.indexes.has(alias))
      throw new OsError(
        400,
        'invalid_alias_name_exception',
        `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
      );
    this.aliases.set(alias, index, props);
  }

  removeAlias(alias: string, index: string): void {
    if (!this.aliases.delete(alias, index))
      throw new OsError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`, {
        'resource.type': 'aliases',
        'resource.id': alias,
      });
  }

  /** Concrete index names for an expression (name, alias, comma list, wildcard, _all). */
  resolve(expression: string, allowMissing = false, includeHidden = false): string[] {
    const out = new Set<string>();
    for (const raw of expression.split(',')) {
      const part = raw.trim();
      if (part === '') continue;
      if (part.startsWith('-') && out.size > 0) {
        const re = wildcardRegExp(part.slice(1));
        for (const n of [...out]) if (re.test(n)) out.delete(n);
      } else if (part === '_all' || part === '*') {
        for (const n of this.indexes.keys()) if (includeHidden || !this.isHidden(n)) out.add(n);
      } else if (part.includes('*')) {
        const re = wildcardRegExp(part);
        const hiddenOk = includeHidden || part.startsWith('.');
        for (const n of this.indexes.keys()) if (re.test(n) && (hiddenOk || !this.isHidden(n))) out.add(n);
        for (const [a, members] of this.aliases.byAlias)
          if (re.test(a)) for (const [m, p] of members) if (!p.isHidden || hiddenOk) out.add(m);
      } else if (this.indexes.has(part)) out.add(part);
      else if (this.aliases.has(part)) for (const m of this.aliases.members(part)) out.add(m);
      else if (!allowMissing) throw indexNotFound(part);
    }
    return [...out];
  }

  private isHidden(name: string): boolean {
    const hidden = this.indexes.get(name)?.settings.hidden;
    return hidden === 'true' || hidden === true || name.startsWith('.');
  }

  /** The single index a write to `expression` lands in, and the alias's index routing if any. */
  writeTarget(expression: string, autoCreate = true): Index {
    if (this.aliases.has(expression)) return this.indexes.get(this.aliases.writeIndex(expression)) as Index;
    const index = this.indexes.get(expression);
    if (index) return index;
    if (!autoCreate) throw indexNotFound(expression);
    return this.createIndex(expression, {});
  }

  /** The routing a write through `expression` uses: its own, or the alias's index routing. */
  writeRouting(expression: string, routing: string | undefined): string | undefined {
    if (!this.aliases.has(expression)) return routing;
    const props = this.aliases.props(expression, this.aliases.writeIndex(expression));
    const aliasRouting = props?.indexRouting;
    if (aliasRouting === undefined) return routing;
    if (routing !== undefined && routing !== aliasRouting)
      throw new OsError(
        400,
        'illegal_argument_exception',
        `Alias [${expression}] has index routing associated with it [${aliasRouting}], and was provided with routing value [${routing}], rejecting operation`,
      );
    return aliasRouting;
  }

  /**
   * Validates `source` (its lossless `tree` when there is one) against the index mapping,
   * adding dynamic fields only when the whole document is accepted and the mapping stays
   * within its limits: a refused document leaves the mapping as it was, as on OpenSearch.
   */
  checkMapping(index: Index, source: Record<string, unknown>, tree?: Record<string, unknown>): void {
    const detect: Detection = {
      dates: !off(index.mappings.date_detection),
      numbers: on(index.mappings.numeric_detection),
      added: 0,
    };
    const draft = structuredClone(index.mappings.properties);
    applyMapping(draft, tree ?? source, index.mappings.dynamic ?? true, '', detect);
    if (detect.added > 0) checkMappingLimits(index.name, index.settings, draft);
    checkNestedLimit(index.settings, draft, source);
    if (detect.added > 0) index.mappings.properties = draft;
  }

  refresh(names: string[]): void {
    for (const n of names) {
      const index = this.indexes.get(n);
      if (index) index.searchable = new Map(index.docs);
    }
  }

  /** Refreshes one shard of `index`, as a single-document write with `refresh=true` does. */
  refreshShard(index: Index, shard: number): void {
    for (const [key, doc] of index.searchable)
      if (doc.shard === shard && !index.docs.has(key)) index.searchable.delete(key);
    for (const [key, doc] of index.docs) if (doc.shard === shard) index.searchable.set(key, doc);
  }

  hits(names: string[]): FullHit[] {
    return names.flatMap((n) =>
      [...(this.indexes.get(n)?.searchable.values() ?? [])].map((doc) => ({
        id: doc.id,
        source: doc.source,
        index: n,
        doc,
      })),
    );
  }
}

/** Merges new mapping properties into existing ones, object fields recursively. */
function mergeProperties(into: Props, add: Props): void {
  for (const [field, mapping] of Object.entries(add)) {
    const existing = into[field];
    if (existing?.properties && mapping.properties) {
      const { properties, ...rest } = mapping;
      Object.assign(existing, rest);
      mergeProperties(existing.properties, properties);
    } else into[field] = mapping;
  }
}
