// Aliases with their properties (filter, index/search routing, is_write_index,
// is_hidden): which index a write through an alias lands in, and how GET shows them.
import { OsError } from './errors.js';

type Json = Record<string, unknown>;

export interface AliasProps {
  readonly filter?: Json;
  readonly indexRouting?: string;
  readonly searchRouting?: string;
  readonly isWriteIndex?: boolean;
  readonly isHidden?: boolean;
}

function routingValue(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function flag(v: unknown): boolean | undefined {
  return v === undefined || v === null ? undefined : v === true || v === 'true';
}

/** Alias properties from an alias body (`PUT /i/_alias/a`, `_aliases` add, create-index aliases). */
export function aliasProps(spec: Json): AliasProps {
  const routing = routingValue(spec.routing);
  const indexRouting = routingValue(spec.index_routing) ?? routing;
  const searchRouting = routingValue(spec.search_routing) ?? routing;
  const isWriteIndex = flag(spec.is_write_index);
  const isHidden = flag(spec.is_hidden);
  if (indexRouting?.includes(','))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `alias [index_routing] can only have a single value, found [${indexRouting}]`,
    );
  return {
    ...(spec.filter && typeof spec.filter === 'object' ? { filter: spec.filter as Json } : {}),
    ...(indexRouting === undefined ? {} : { indexRouting }),
    ...(searchRouting === undefined ? {} : { searchRouting }),
    ...(isWriteIndex === undefined ? {} : { isWriteIndex }),
    ...(isHidden === undefined ? {} : { isHidden }),
  };
}

/** How GET shows an alias. */
export function aliasJson(p: AliasProps): Json {
  return {
    ...(p.filter ? { filter: p.filter } : {}),
    ...(p.indexRouting === undefined ? {} : { index_routing: p.indexRouting }),
    ...(p.searchRouting === undefined ? {} : { search_routing: p.searchRouting }),
    ...(p.isWriteIndex === undefined ? {} : { is_write_index: p.isWriteIndex }),
    ...(p.isHidden === undefined ? {} : { is_hidden: p.isHidden }),
  };
}

/** alias → (index → properties). */
export class AliasTable {
  readonly byAlias = new Map<string, Map<string, AliasProps>>();

  has(alias: string): boolean {
    return this.byAlias.has(alias);
  }

  members(alias: string): string[] {
    return [...(this.byAlias.get(alias)?.keys() ?? [])];
  }

  props(alias: string, index: string): AliasProps | undefined {
    return this.byAlias.get(alias)?.get(index);
  }

  set(alias: string, index: string, props: AliasProps): void {
    const members = this.byAlias.get(alias) ?? new Map<string, AliasProps>();
    if (props.isHidden !== undefined)
      for (const [other, p] of members)
        if (other !== index && p.isHidden !== props.isHidden)
          throw new OsError(
            400,
            'illegal_state_exception',
            `alias [${alias}] has is_hidden set to true on indices [${other}] but does not have is_hidden set to true on indices [${index}]; alias must have the same is_hidden setting on all indices`,
          );
    if (props.isWriteIndex === true)
      for (const [other, p] of members)
        if (other !== index && p.isWriteIndex === true)
          throw new OsError(
            400,
            'illegal_state_exception',
            `alias [${alias}] has more than one write index [${other},${index}]`,
          );
    members.set(index, props);
    this.byAlias.set(alias, members);
  }

  delete(alias: string, index: string): boolean {
    const members = this.byAlias.get(alias);
    if (!members?.delete(index)) return false;
    if (members.size === 0) this.byAlias.delete(alias);
    return true;
  }

  dropIndex(index: string): void {
    for (const alias of [...this.byAlias.keys()]) this.delete(alias, index);
  }

  /** The aliases of `index`, name → properties. */
  ofIndex(index: string): Map<string, AliasProps> {
    const out = new Map<string, AliasProps>();
    for (const [alias, members] of this.byAlias) {
      const p = members.get(index);
      if (p) out.set(alias, p);
    }
    return out;
  }

  /** The index a write through `alias` lands in. */
  writeIndex(alias: string): string {
    const members = [...(this.byAlias.get(alias) ?? new Map<string, AliasProps>())];
    const explicit = members.filter(([, p]) => p.isWriteIndex === true);
    if (explicit.length === 1) return (explicit[0] as [string, AliasProps])[0];
    if (members.length === 1 && (members[0] as [string, AliasProps])[1].isWriteIndex !== false)
      return (members[0] as [string, AliasProps])[0];
    throw new OsError(
      400,
      'illegal_argument_exception',
      `no write index is defined for alias [${alias}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
    );
  }

  snapshot(): Map<string, Map<string, AliasProps>> {
    return new Map([...this.byAlias].map(([k, v]) => [k, new Map(v)]));
  }

  restore(copy: Map<string, Map<string, AliasProps>>): void {
    this.byAlias.clear();
    for (const [k, v] of copy) this.byAlias.set(k, v);
  }
}
