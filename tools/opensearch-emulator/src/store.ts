// In-memory indexes: documents with versions and sequence numbers, a searchable
// view that only a refresh updates, aliases, and frozen views for scroll and PIT.
import { randomUUID } from 'node:crypto';
import { indexNotFound, OsError } from './errors.js';
import { applyMapping, type Props } from './mapping.js';
import type { Hit } from './query.js';
import { type IndexTemplate, matchingTemplate, withTemplate } from './templates.js';
import { wildcardRegExp } from './wildcard.js';

export interface StoredDoc {
  source: Record<string, unknown>;
  version: number;
  seqNo: number;
  routing?: string;
}

export interface Index {
  readonly name: string;
  readonly uuid: string;
  readonly created: number;
  settings: Record<string, unknown>;
  mappings: { dynamic: boolean | string; properties: Props; [k: string]: unknown };
  readonly docs: Map<string, StoredDoc>;
  searchable: Map<string, StoredDoc>;
}

export interface WriteOptions {
  readonly routing?: string;
  readonly opType?: 'index' | 'create';
  readonly ifSeqNo?: number;
  readonly ifPrimaryTerm?: number;
  readonly version?: number;
  readonly versionType?: string;
}

export class Store {
  readonly indexes = new Map<string, Index>();
  readonly aliases = new Map<string, Set<string>>();
  readonly templates = new Map<string, IndexTemplate>();
  /** Scroll and PIT contexts; a scroll keeps the page size and `_source` filter of its first request. */
  readonly cursors = new Map<
    string,
    { hits: Hit[]; index: string[]; offset: number; size?: number; source?: unknown }
  >();
  private seq = 0;
  /** Versions of externally versioned deletes, by index uuid and id (OpenSearch keeps them for gc_deletes). */
  private readonly tombstones = new Map<string, number>();

  createIndex(name: string, requested: Record<string, unknown>): Index {
    if (this.indexes.has(name) || this.aliases.has(name)) {
      throw new OsError(
        400,
        'resource_already_exists_exception',
        `index [${name}/${randomUUID().slice(0, 8)}] already exists`,
        { index: name },
      );
    }
    if (!/^[a-z0-9][^\\/*?"<>| ,#:A-Z]*$/.test(name))
      throw new OsError(400, 'invalid_index_name_exception', `Invalid index name [${name}]`, { index: name });
    const body = withTemplate(requested, matchingTemplate(this.templates, name));
    const mappings = (body.mappings ?? {}) as Record<string, unknown>;
    const settings = (body.settings ?? {}) as Record<string, unknown>;
    const index: Index = {
      name,
      uuid: randomUUID(),
      created: Date.now(),
      settings: (settings.index as Record<string, unknown>) ?? settings,
      mappings: {
        ...mappings,
        dynamic: (mappings.dynamic as boolean | string) ?? true,
        properties: (mappings.properties ?? {}) as Props,
      },
      docs: new Map(),
      searchable: new Map(),
    };
    this.indexes.set(name, index);
    for (const [alias] of Object.entries((body.aliases ?? {}) as Record<string, unknown>))
      this.addAlias(alias, name);
    return index;
  }

  /** `PUT /{index}/_mapping`: new fields are added; an existing field cannot change type. */
  putMapping(name: string, body: Record<string, unknown>): void {
    const properties = (body.properties ?? {}) as Props;
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
      Object.assign(index.mappings.properties, properties);
    }
  }

  deleteIndex(name: string): void {
    for (const target of this.resolve(name, false)) {
      this.indexes.delete(target);
      for (const [alias, members] of this.aliases) {
        members.delete(target);
        if (members.size === 0) this.aliases.delete(alias);
      }
    }
  }

  addAlias(alias: string, index: string): void {
    if (!this.indexes.has(index)) throw indexNotFound(index);
    if (this.indexes.has(alias))
      throw new OsError(
        400,
        'invalid_alias_name_exception',
        `Invalid alias name [${alias}]: an index exists with the same name`,
      );
    const set = this.aliases.get(alias) ?? new Set();
    set.add(index);
    this.aliases.set(alias, set);
  }

  removeAlias(alias: string, index: string): void {
    const set = this.aliases.get(alias);
    if (!set?.has(index)) throw new OsError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`);
    set.delete(index);
    if (set.size === 0) this.aliases.delete(alias);
  }

  /** Concrete index names for an expression (name, alias, comma list, wildcard, _all). */
  resolve(expression: string, allowMissing = false): string[] {
    const out = new Set<string>();
    for (const part of expression.split(',')) {
      if (part === '_all' || part === '*') for (const n of this.indexes.keys()) out.add(n);
      else if (part.includes('*')) {
        const re = wildcardRegExp(part);
        for (const n of this.indexes.keys()) if (re.test(n)) out.add(n);
        for (const [a, members] of this.aliases) if (re.test(a)) for (const m of members) out.add(m);
      } else if (this.indexes.has(part)) out.add(part);
      else if (this.aliases.has(part)) for (const m of this.aliases.get(part) ?? []) out.add(m);
      else if (!allowMissing) throw indexNotFound(part);
    }
    return [...out];
  }

  /** The single index a write to `expression` lands in (an alias must point at one). */
  writeTarget(expression: string, autoCreate = true): Index {
    if (this.aliases.has(expression)) {
      const members = [...(this.aliases.get(expression) ?? [])];
      if (members.length !== 1)
        throw new OsError(
          400,
          'illegal_argument_exception',
          `no write index is defined for alias [${expression}]`,
        );
      return this.indexes.get(members[0] as string) as Index;
    }
    const index = this.indexes.get(expression);
    if (index) return index;
    if (!autoCreate) throw indexNotFound(expression);
    return this.createIndex(expression, {});
  }

  put(
    index: Index,
    id: string,
    source: Record<string, unknown>,
    options: WriteOptions = {},
  ): { result: string; doc: StoredDoc } {
    const existing = index.docs.get(id);
    if (options.opType === 'create' && existing) throw conflict(index.name, id, 'document already exists');
    if (options.ifSeqNo !== undefined && (!existing || existing.seqNo !== options.ifSeqNo)) {
      throw conflict(
        index.name,
        id,
        `required seqNo [${options.ifSeqNo}], primary term [${options.ifPrimaryTerm ?? 1}]. current document has seqNo [${existing?.seqNo ?? -1}] and primary term [1]`,
      );
    }
    let version = (existing?.version ?? 0) + 1;
    if (options.versionType === 'external' || options.versionType === 'external_gte') {
      const v = options.version ?? 0;
      const tombstone = this.tombstones.get(`${index.uuid}\u0000${id}`);
      const current = existing?.version ?? tombstone ?? 0;
      const ok = options.versionType === 'external' ? v > current : v >= current;
      if ((existing || tombstone !== undefined) && !ok)
        throw conflict(
          index.name,
          id,
          `current version [${current}] is higher or equal to the one provided [${v}]`,
        );
      version = v;
    }
    applyMapping(index.mappings.properties, source, index.mappings.dynamic);
    const doc: StoredDoc = {
      source,
      version,
      seqNo: this.seq++,
      ...(options.routing ? { routing: options.routing } : {}),
    };
    index.docs.set(id, doc);
    this.tombstones.delete(`${index.uuid}\u0000${id}`);
    return { result: existing ? 'updated' : 'created', doc };
  }

  remove(index: Index, id: string, options: WriteOptions = {}): StoredDoc | null {
    const existing = index.docs.get(id);
    let version = (existing?.version ?? 0) + 1;
    if (options.versionType === 'external' || options.versionType === 'external_gte') {
      // An external delete leaves a tombstone at its version, found or not.
      const v = options.version ?? 0;
      const key = `${index.uuid}\u0000${id}`;
      const current = existing?.version ?? this.tombstones.get(key);
      const ok = current === undefined || (options.versionType === 'external' ? v > current : v >= current);
      if (!ok)
        throw conflict(
          index.name,
          id,
          `current version [${current}] is higher or equal to the one provided [${v}]`,
        );
      this.tombstones.set(key, v);
      version = v;
    }
    if (!existing) return null;
    index.docs.delete(id);
    return { ...existing, version, seqNo: this.seq++ };
  }

  refresh(names: string[]): void {
    for (const n of names) {
      const index = this.indexes.get(n);
      if (index) index.searchable = new Map(index.docs);
    }
  }

  hits(names: string[]): (Hit & { index: string; doc: StoredDoc })[] {
    return names.flatMap((n) =>
      [...(this.indexes.get(n)?.searchable ?? new Map<string, StoredDoc>())].map(([id, doc]) => ({
        id,
        source: doc.source,
        index: n,
        doc,
      })),
    );
  }

  nextSeq(): number {
    return this.seq;
  }
}

function conflict(index: string, id: string, detail: string): OsError {
  return new OsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${detail}`, {
    index,
    shard: '0',
    index_uuid: 'emulated',
  });
}
