// How each slot kind is checked (and, on a shared index, rewritten). Composite
// slots defer to the walker for clauses, aggregations and options.
import { fromPlain, mapItems, mapMembers } from '../json/build.js';
import { isArray, isObject, type JNode, member, stringOf } from '../json/node.js';
import { toPlain } from '../json/plain.js';
import { keepInSource } from '../rewrite/source-filter.js';
import { queryStringFields } from './query-string-fields.js';
import { FUNCTION_OPTIONS } from './query-table.js';
import { refuse } from './refuse.js';
import { lookup, type Slot } from './rules.js';
import {
  COLLAPSE,
  COMPOSITE_SOURCES,
  GEO_SORT,
  HIGHLIGHT,
  HIGHLIGHT_FIELD,
  HIT_OPTIONS,
  NESTED_SORT,
  RESCORE,
  RESCORE_QUERY,
  SCRIPT_SORT,
  SLICE,
  SORT_FIELD,
  VALUE_SOURCE,
} from './search-table.js';
import type { Walker } from './walker.js';

type Handler = (w: Walker, node: JNode, depth: number, position: string) => JNode;

function fieldName(w: Walker, node: JNode, position: string): JNode {
  const name = stringOf(node);
  if (name === undefined) return refuse('structured_option', 'field', position);
  w.field(name, position);
  return node;
}

function fieldPattern(w: Walker, node: JNode, position: string): JNode {
  if (isObject(node)) {
    const name = member(node, 'field');
    if (name !== undefined) fieldName(w, name, position);
    w.object(node, { field: 'data' }, 0, position);
    return node;
  }
  return fieldName(w, node, position);
}

const WORD = /[A-Za-z0-9_$]/;

/** Whether `source` names `field` as a whole word (`doc['_id']`, `._tenant`; not `user_id`). */
function mentions(source: string, field: string): boolean {
  for (let at = source.indexOf(field); at >= 0; at = source.indexOf(field, at + 1)) {
    const before = source[at - 1];
    const after = source[at + field.length];
    if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after)))
      return true;
  }
  return false;
}

function script(w: Walker, node: JNode, _depth: number, position: string): JNode {
  if (isObject(node) && member(node, 'id') !== undefined) {
    return refuse('reads_other_documents', 'stored_script', position);
  }
  const source = isObject(node) ? stringOf(member(node, 'source')) : stringOf(node);
  if (isObject(node))
    w.object(node, { source: 'data', lang: 'data', params: 'data', options: 'data' }, 0, position, true);
  else if (source === undefined) return refuse('structured_option', 'script', position);
  // A script reads doc values by name: it must not name the physical or injected
  // fields, nor compute a name (`doc[params.f]`, `doc['_' + 'id']`) that could be one.
  if (source !== undefined && w.options.foreignFields.size > 0) {
    for (const field of w.options.foreignFields) {
      if (mentions(source, field)) return refuse('foreign_field', 'script', position);
    }
    if (readsComputedField(source) || readsLookupThroughParams(source) || namesLookupGetter(source))
      return refuse('foreign_field', 'script', position);
  }
  return node;
}

const LITERAL = String.raw`\s*(?:'[^'\\]*'|"[^"\\]*")\s*`;
/** The ways a script may read a doc value: by a literal name, or `doc.name`. */
const LITERAL_DOC_READ = new RegExp(
  String.raw`^doc\s*(?:\[${LITERAL}\]|\.\s*(?:get|containsKey)\s*\(${LITERAL}\)|\.\s*[A-Za-z_$][\w$]*(?![\w$]*\s*\())`,
);

/** Whether `source` reads `doc` other than by a literal field name (or hands `doc` on). */
function readsComputedField(source: string): boolean {
  for (let at = source.indexOf('doc'); at >= 0; at = source.indexOf('doc', at + 1)) {
    const before = source[at - 1];
    const after = source[at + 3];
    if (
      (before !== undefined && (WORD.test(before) || before === '.')) ||
      (after !== undefined && WORD.test(after))
    )
      continue;
    if (!LITERAL_DOC_READ.test(source.slice(at))) return true;
  }
  return false;
}

/**
 * OpenSearch merges the search lookup into a script's `params`: `params.doc` and
 * `params._doc` are `doc` (deprecated, still served), `params._fields` the stored
 * fields. So `params._doc[params.f]` reads any doc value by a computed name, past
 * the `doc` rule above. A script may read `params` only by a literal name
 * (`params.f`, `params['f']`, `params.get('f')`, `params.containsKey('f')`) that is
 * not one of those; any other use of `params` (computed keys, handing it on) is refused.
 */
const LOOKUP_PARAMS = new Set(['doc', '_doc', '_fields']);
const LITERAL_NAME = String.raw`\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*`;
const LITERAL_PARAMS_READ = new RegExp(
  String.raw`^params\s*(?:\.\s*([A-Za-z_$][\w$]*)(?![\w$]*\s*\()|\[${LITERAL_NAME}\]|\.\s*(?:get|containsKey)\s*\(${LITERAL_NAME}\))`,
);

// Painless serves `doc` and `params` through the script class's getters: never by their own names.
const LOOKUP_GETTERS = ['getDoc', 'getParams'];

function namesLookupGetter(source: string): boolean {
  return LOOKUP_GETTERS.some((getter) => mentions(source, getter));
}

function readsLookupThroughParams(source: string): boolean {
  for (let at = source.indexOf('params'); at >= 0; at = source.indexOf('params', at + 1)) {
    const before = source[at - 1];
    const after = source[at + 6];
    if ((before !== undefined && WORD.test(before)) || (after !== undefined && WORD.test(after))) continue;
    const read = LITERAL_PARAMS_READ.exec(source.slice(at));
    const name = read?.slice(1).find((group) => group !== undefined);
    if (name === undefined || LOOKUP_PARAMS.has(name)) return true;
  }
  return false;
}

function sortEntry(w: Walker, node: JNode, depth: number, position: string): JNode {
  if (node.t === 's') {
    if (node.value !== '_score' && node.value !== '_doc') w.field(node.value, position);
    return node;
  }
  if (!isObject(node)) return refuse('structured_option', 'sort', position);
  return mapMembers(node, (m) => {
    if (m.key === '_script') return w.object(m.value, SCRIPT_SORT, depth, position);
    if (m.key === '_geo_distance') {
      if (!isObject(m.value)) return refuse('structured_option', 'sort', position);
      return mapMembers(m.value, (g) => {
        if (lookup(GEO_SORT, g.key) !== undefined) return w.member(g, GEO_SORT, depth, position, true);
        w.field(g.key, position);
        return g.value;
      });
    }
    if (m.key !== '_score' && m.key !== '_doc') w.field(m.key, position);
    if (isObject(m.value)) return w.object(m.value, SORT_FIELD, depth, position);
    w.scalars(m.value, 'sort', position);
    return m.value;
  });
}

function highlight(w: Walker, node: JNode, depth: number, position: string): JNode {
  const checked = w.object(node, { ...HIGHLIGHT, fields: 'data' }, depth, position);
  return mapMembers(checked, (m) => {
    if (m.key !== 'fields') return m.value;
    const one = (entry: JNode): JNode => {
      if (!isObject(entry)) return refuse('structured_option', 'highlight', position);
      return mapMembers(entry, (f) => {
        w.field(f.key, position);
        return w.object(f.value, HIGHLIGHT_FIELD, depth, position);
      });
    };
    return isArray(m.value) ? mapItems(m.value, one) : one(m.value);
  });
}

function like(_w: Walker, node: JNode, _depth: number, position: string): JNode {
  const one = (item: JNode): JNode => {
    if (item.t === 's') return item;
    if (isObject(item) && member(item, '_index') === undefined && member(item, '_id') === undefined)
      return item;
    return refuse('reads_other_documents', 'like_document', position);
  };
  return isArray(node) ? mapItems(node, one) : one(node);
}

function source(w: Walker, node: JNode): JNode {
  if (!w.options.shared || node.t === 'l') return node;
  return fromPlain(keepInSource(toPlain(node), w.options.injected) ?? null);
}

function composite(w: Walker, node: JNode, depth: number, position: string): JNode {
  if (!isArray(node)) return refuse('structured_option', 'sources', position);
  return mapItems(node, (named) => {
    if (!isObject(named)) return refuse('structured_option', 'sources', position);
    return mapMembers(named, (n) => {
      if (!isObject(n.value) || n.value.members.length !== 1)
        return refuse('not_a_clause', 'sources', position);
      return mapMembers(n.value, (s) => {
        if (!COMPOSITE_SOURCES.has(s.key)) return refuse('unknown_construct', s.key, position);
        return w.object(s.value, VALUE_SOURCE, depth, position);
      });
    });
  });
}

/** A number as OpenSearch reads one: from a number or a numeric string (it coerces both). */
function numeric(node: JNode): number {
  if (node.t === 'n') return Number(node.raw);
  if (node.t === 's' && node.value.trim() !== '') return Number(node.value);
  return Number.NaN;
}

function minDocCount(w: Walker, node: JNode, _depth: number, position: string): JNode {
  w.scalars(node, 'min_doc_count', position);
  // OpenSearch truncates a fraction and parses a string: 0.5 and "0" mean 0, terms
  // from the whole shard. Only a count of at least 1 keeps to the tenant's documents.
  if (w.options.shared && !(numeric(node) >= 1)) return refuse('shard_wide', 'min_doc_count', position);
  return node;
}

/** `explain` reports shard-wide statistics: on a shared index only `false` (or "false") passes. */
function explain(w: Walker, node: JNode, _depth: number, position: string): JNode {
  w.scalars(node, 'explain', position);
  const off = (node.t === 'l' && node.raw === 'false') || (node.t === 's' && node.value === 'false');
  if (w.options.shared && !off) return refuse('shard_wide', 'explain', position);
  return node;
}

/** query_string syntax names fields inline: each is checked as a field. */
function queryText(w: Walker, node: JNode, _depth: number, position: string): JNode {
  w.scalars(node, 'query', position);
  if (node.t !== 's' || w.options.foreignFields.size === 0) return node;
  for (const name of queryStringFields(node.value)) w.field(name, position);
  return node;
}

/** A decay function: `{"<field>": {origin, scale, offset, decay}, "multi_value_mode": ...}`. */
function decay(w: Walker, node: JNode, _depth: number, position: string): JNode {
  if (!isObject(node)) return refuse('structured_option', 'decay', position);
  for (const m of node.members) {
    if (m.key === 'multi_value_mode') w.scalars(m.value, m.key, position);
    else {
      w.field(m.key, position);
      w.object(m.value, { origin: 'data', scale: 'data', offset: 'data', decay: 'data' }, 0, position, true);
    }
  }
  return node;
}

/** The handler of every slot kind; `Record` makes a new slot kind without a handler a compile error. */
export const slotHandlers: Readonly<Record<Slot, Handler>> = {
  query: (w, node, depth, position) => w.query(node, depth, position),
  queries: (w, node, depth, position) => w.list('query', node, depth, position),
  queryMap: (w, node, depth, position) =>
    isObject(node)
      ? mapMembers(node, (m) => w.query(m.value, depth, position))
      : w.list('query', node, depth, position),
  field: (w, node, _depth, position) => fieldName(w, node, position),
  fields: (w, node, _depth, position) =>
    isArray(node) ? mapItems(node, (f) => fieldName(w, f, position)) : fieldName(w, node, position),
  fieldPatterns: (w, node, _depth, position) =>
    isArray(node) ? mapItems(node, (f) => fieldPattern(w, f, position)) : fieldPattern(w, node, position),
  script,
  scriptFields: (w, node, depth, position) =>
    isObject(node)
      ? mapMembers(node, (m) => w.object(m.value, { script: 'script' }, depth, position))
      : refuse('structured_option', 'script_fields', position),
  aggs: (w, node, depth, position) => w.aggs(node, depth, position),
  hitOptions: (w, node, depth, position) => w.object(node, HIT_OPTIONS, w.deeper(depth, position), position),
  hitOptionsList: (w, node, depth, position) => w.list('hitOptions', node, depth, position),
  sort: (w, node, depth, position) =>
    isArray(node)
      ? mapItems(node, (e) => sortEntry(w, e, depth, position))
      : sortEntry(w, node, depth, position),
  nestedSort: (w, node, depth, position) => w.object(node, NESTED_SORT, w.deeper(depth, position), position),
  highlight,
  source: (w, node) => source(w, node),
  like,
  rescore: (w, node, depth, position) =>
    isArray(node)
      ? mapItems(node, (r) => w.object(r, RESCORE, depth, position, true))
      : w.object(node, RESCORE, depth, position, true),
  rescoreQuery: (w, node, depth, position) => w.object(node, RESCORE_QUERY, depth, position, true),
  valueSource: (w, node, depth, position) => w.object(node, VALUE_SOURCE, depth, position),
  collapse: (w, node, depth, position) => w.object(node, COLLAPSE, depth, position, true),
  slice: (w, node, depth, position) => w.object(node, SLICE, depth, position, true),
  explain,
  minDocCount,
  queryText,
  decay,
  functions: (w, node, depth, position) =>
    isArray(node)
      ? mapItems(node, (f) => w.object(f, FUNCTION_OPTIONS, depth, position))
      : refuse('structured_option', 'functions', position),
  compositeSources: composite,
  multiTermsSources: (w, node, depth, position) =>
    isArray(node)
      ? mapItems(node, (s) => w.object(s, VALUE_SOURCE, depth, position))
      : refuse('structured_option', 'terms', position),
  ids: (w, node) => (w.options.shared && isArray(node) ? mapItems(node, (id) => w.id(id)) : node),
  data: (_w, node) => node,
  refuse: (_w, _node, _depth, position) => refuse('reads_other_documents', 'document_reference', position),
};
