// The one walker over a tenant's search-family body: every query clause and
// aggregation is looked up in the tables, every option is checked by its slot,
// and on a shared index the few values the proxy must change (logical ids,
// source filters) come back rewritten. Anything the tables do not name is
// refused before dispatch. Recursion is bounded by `maxDepth` (clauses,
// aggregation levels, nested sorts and hit options each count one level).
import { mapItems, mapMembers } from '../json/build.js';
import { isArray, isObject, type JMember, type JNode, type JObject } from '../json/node.js';
import { AGGREGATIONS } from './agg-table.js';
import { QUERIES } from './query-table.js';
import { refuse } from './refuse.js';
import { type FieldRule, lookup, type Options, type Slot } from './rules.js';
import { slotHandlers } from './slots.js';

export interface GrammarOptions {
  /** Tenants share the physical index: shard-wide statistics and foreign fields are refused. */
  readonly shared: boolean;
  /** Field names the tenant does not own (meta and injected fields when shared; `_index` when renamed). */
  readonly foreignFields: ReadonlySet<string>;
  /** Injected fields a source filter must keep (ownership is checked on them). */
  readonly injected: readonly string[];
  /** Deepest nesting of clauses and aggregation levels accepted. */
  readonly maxDepth: number;
  /** Logical → physical document id (identity unless shared). */
  readonly mapId: (id: string) => string;
}

/** A field-name pattern (`*` any run, `?` one character) as an anchored expression. */
function globPattern(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function isScalar(node: JNode): boolean {
  return node.t === 's' || node.t === 'n' || node.t === 'l';
}

export class Walker {
  readonly options: GrammarOptions;

  constructor(options: GrammarOptions) {
    this.options = options;
  }

  /** Check (and rewrite) `node` held by an option of kind `slot`. */
  slot(slot: Slot, node: JNode, depth: number, position: string): JNode {
    return slotHandlers[slot](this, node, depth, position);
  }

  /** An object of options checked against `table`; `closed` refuses unlisted keys, else they hold scalars only. */
  object(node: JNode, table: Options, depth: number, position: string, closed = false): JObject {
    if (!isObject(node)) return refuse('not_a_clause', 'options', position);
    return mapMembers(node, (m) => this.member(m, table, depth, position, closed));
  }

  member(m: JMember, table: Options, depth: number, position: string, closed: boolean): JNode {
    const slot = lookup(table, m.key);
    if (slot === 'refuse') return refuse('reads_other_documents', m.key, position);
    if (slot !== undefined) return this.slot(slot, m.value, depth, position);
    if (closed) return refuse('unknown_construct', m.key, position);
    this.scalars(m.value, m.key, position);
    return m.value;
  }

  /** A scalar or a list of scalars; anything structured is refused. */
  scalars(node: JNode, name: string, position: string): void {
    if (isScalar(node)) return;
    if (isArray(node) && node.items.every(isScalar)) return;
    refuse('structured_option', name, position);
  }

  deeper(depth: number, position: string): number {
    if (depth >= this.options.maxDepth) refuse('too_deep', 'nesting', position);
    return depth + 1;
  }

  /** A field name in any position; `idQuery` allows `_id` where the proxy rewrites the values. */
  field(name: string, position: string, idQuery = false): void {
    if (this.options.foreignFields.size === 0) return;
    const bare = name.replace(/\^[\d.]*$/, '');
    if (idQuery && bare === '_id') return;
    if (this.options.foreignFields.has(bare)) refuse('foreign_field', 'field', position);
    // A pattern (`_i*`, `*id`) reaches every field it matches; a bare `*` is the
    // "all fields" idiom, which OpenSearch expands without meta fields.
    if (bare !== '*' && /[*?]/.test(bare)) {
      const pattern = globPattern(bare);
      for (const foreign of this.options.foreignFields)
        if (pattern.test(foreign)) refuse('foreign_field', 'field', position);
    }
  }

  /** One query clause: `{"<name>": <body>}`. */
  query(node: JNode, depth: number, position: string): JNode {
    const next = this.deeper(depth, position);
    if (!isObject(node) || node.members.length !== 1) return refuse('not_a_clause', 'query', position);
    const [clause] = node.members as [JMember];
    const rule = lookup(QUERIES, clause.key);
    if (rule === undefined) return refuse('unknown_construct', clause.key, position);
    if (rule.kind === 'object' && rule.crossesDocuments && this.options.shared)
      return refuse('reads_other_documents', clause.key, position);
    return mapMembers(node, (m) =>
      rule.kind === 'object'
        ? this.object(m.value, rule.options, next, position)
        : this.fieldClause(clause.key, rule, m.value, next, position),
    );
  }

  fieldClause(name: string, rule: FieldRule, body: JNode, depth: number, position: string): JNode {
    if (!isObject(body)) return refuse('not_a_clause', name, position);
    const fields = body.members.filter((m) => lookup(rule.options, m.key) === undefined);
    if (fields.length !== 1) return refuse('not_a_clause', name, position);
    return mapMembers(body, (m) => {
      if (lookup(rule.options, m.key) !== undefined)
        return this.member(m, rule.options, depth, position, true);
      this.field(m.key, position, rule.ids !== undefined);
      const ids = rule.ids !== undefined && m.key === '_id' && this.options.shared;
      if (rule.value === 'data') return m.value;
      if (isObject(m.value)) {
        if (name === 'terms') return refuse('reads_other_documents', 'terms_lookup', position);
        const value = this.object(m.value, rule.value, depth, position);
        return ids ? mapMembers(value, (v) => (v.key === 'value' ? this.id(v.value) : v.value)) : value;
      }
      this.scalars(m.value, name, position);
      if (!ids) return m.value;
      return isArray(m.value) ? mapItems(m.value, (item) => this.id(item)) : this.id(m.value);
    });
  }

  /** A logical document id as the physical one. */
  id(node: JNode): JNode {
    if (node.t !== 's' && node.t !== 'n') return node;
    const logical = node.t === 's' ? node.value : node.raw;
    return { t: 's', value: this.options.mapId(logical), raw: JSON.stringify(this.options.mapId(logical)) };
  }

  /** Named aggregations: `{"<name>": {"<type>": {...}, "aggs": {...}, "meta": {...}}}`. */
  aggs(node: JNode, depth: number, position: string): JNode {
    if (!isObject(node)) return refuse('not_a_clause', 'aggs', position);
    return mapMembers(node, (named) => this.agg(named.value, this.deeper(depth, position), position));
  }

  agg(node: JNode, depth: number, position: string): JNode {
    if (!isObject(node)) return refuse('not_a_clause', 'aggs', position);
    const types = node.members.filter((m) => !['aggs', 'aggregations', 'meta'].includes(m.key));
    if (types.length !== 1) return refuse('not_a_clause', 'aggs', position);
    return mapMembers(node, (m) => {
      if (m.key === 'aggs' || m.key === 'aggregations') return this.aggs(m.value, depth, position);
      if (m.key === 'meta') return m.value;
      const rule = lookup(AGGREGATIONS, m.key);
      if (rule === undefined) return refuse('unknown_construct', m.key, position);
      if (rule.shardWide && this.options.shared) return refuse('shard_wide', m.key, position);
      return rule.body === 'query'
        ? this.query(m.value, depth, position)
        : this.object(m.value, rule.body, depth, position);
    });
  }

  /** A list of `slot` values, or one. */
  list(slot: Slot, node: JNode, depth: number, position: string): JNode {
    if (!isArray(node)) return this.slot(slot, node, depth, position);
    return mapItems(node, (item) => this.slot(slot, item, depth, position));
  }
}
