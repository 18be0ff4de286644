// The reply splicer: a search-family reply scanned once and copied through
// range by range, with only what the client's view changes rewritten (hit
// `_index` and `_id`, `_routing`/`_shard`/`_node` dropped, injected fields
// stripped from `_source`, `fields` and `highlight`, foreign hits dropped).
// It answers only where its output is certainly the lossless shaper's
// (`shapeSearchResponse`, emitted); anything else (inner or nested hits, hits
// inside aggregations, shard or item failures, cursors, escaped keys, a body
// that is not valid JSON...) is `undefined`, and the caller takes that path.
import { jString } from '../json/build.js';
import { emit } from '../json/emit.js';
import { readString, skipContainer, skipScalar, skipWs } from '../json/scan.js';
import { isInjected } from '../rewrite/injected-fields.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import { type MemberRange, MemberStore } from './splice-members.js';
import { afterColon, banned, checkedEnd, FALLBACK, keyEnd, plainKey, separator } from './splice-scan.js';

/** The spliced reply text and how many foreign hits it dropped. */
export interface SplicedReply {
  readonly text: string;
  readonly dropped: number;
}

// Stricter than the lossless reader's cap (1100): deeper replies take that path.
const MAX_NESTING = 1000;
// Keys compared in a `switch` rather than looked up in sets: a key just read is
// a fresh string, and hashing every one of them costs more than the comparisons.

/** Top-level members the splicer leaves to the lossless path. */
function rootFallback(key: string): boolean {
  return key === 'failures' || key === '_scroll_id' || key === 'pit_id';
}

const OTHER = 0;
/** `_index` or `_id`: rewritten. */
const NAME = 1;
/** `_routing`, `_shard`, `_node`: members the client never sees. */
const DROPPED = 2;
/** `_source`, `fields`, `highlight`: objects the shaper strips injected fields from. */
const SUB_OBJECT = 3;
/** `_nested`, `inner_hits` (their hits need the tree), `hits`, `failures`: the lossless path. */
const FALLBACK_KEY = 4;

function hitKey(key: string): number {
  switch (key) {
    case '_index':
    case '_id':
      return NAME;
    case '_routing':
    case '_shard':
    case '_node':
      return DROPPED;
    case '_source':
    case 'fields':
    case 'highlight':
      return SUB_OBJECT;
    case '_nested':
    case 'inner_hits':
    case 'hits':
    case 'failures':
      return FALLBACK_KEY;
    default:
      return OTHER;
  }
}

/**
 * Whether the string literal `[start, end)` (already validated) reads `expected`:
 * compared as written when it is written plainly, decoded only otherwise (a hit's
 * `_index` and injected fields are the view's own values: no string made for them).
 */
function literalIs(text: string, start: number, end: number, expected: string): boolean {
  if (end - start === expected.length + 2 && text.startsWith(expected, start + 1) && !expected.includes('\\'))
    return true;
  return readString(text, start).value === expected;
}

/** A hit's objects the shaper strips injected fields from, as read (their members in `#subMembers`). */
interface SubObjects {
  source: MemberRange | undefined;
  fields: MemberRange | undefined;
  highlight: MemberRange | undefined;
}

/**
 * An object's text rebuilt from its kept members, as the shaper writes it (no
 * whitespace between members or around colons). A member kept as written is one
 * slice `key:value` when its colon has no whitespace around it, and members kept
 * as written that sat next to each other (one `,` between them) are one slice
 * together: the same text as member by member, in a few long strings instead of
 * four short ones a member (most of what a spliced reply allocated).
 */
class Rebuilt {
  readonly #text: string;
  #out = '{';
  #count = 0;
  #runStart = -1;
  #runEnd = -1;

  constructor(text: string) {
    this.#text = text;
  }

  /** A member kept as written: key `[keyStart, keyEnd)`, value `[valueStart, valueEnd)`. */
  asWritten(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    if (valueStart !== keyEnd + 1) {
      this.rewritten(keyStart, keyEnd, this.#text.slice(valueStart, valueEnd));
      return;
    }
    if (this.#runStart >= 0 && keyStart === this.#runEnd + 1) {
      this.#runEnd = valueEnd;
      return;
    }
    this.#flush();
    this.#runStart = keyStart;
    this.#runEnd = valueEnd;
  }

  /** A member whose value the client sees as `value`. */
  rewritten(keyStart: number, keyEnd: number, value: string): void {
    this.#flush();
    if (this.#count++ > 0) this.#out += ',';
    this.#out += this.#text.slice(keyStart, keyEnd);
    this.#out += ':';
    this.#out += value;
  }

  /** The whole object's text. */
  close(): string {
    this.#flush();
    return `${this.#out}}`;
  }

  #flush(): void {
    if (this.#runStart < 0) return;
    if (this.#count++ > 0) this.#out += ',';
    this.#out += this.#text.slice(this.#runStart, this.#runEnd);
    this.#runStart = -1;
  }
}

class Splicer {
  readonly #text: string;
  readonly #view: PartitionView;
  readonly #injected: readonly string[];
  readonly #injectEntries: readonly (readonly [string, string])[];
  readonly #logical: string;
  /** The current hit's members, and those of its `_source`, `fields` and `highlight`. */
  readonly #hitMembers = new MemberStore();
  readonly #subMembers = new MemberStore();
  dropped = 0;

  constructor(text: string, view: PartitionView) {
    this.#text = text;
    this.#view = view;
    // Made once per view, not per reply (empty unless the index is shared).
    this.#injectEntries = view.injectEntries;
    this.#injected = view.injectedFields;
    this.#logical = view.logicalLiteral;
  }

  root(): string {
    const text = this.#text;
    const start = skipWs(text, 0);
    const read = this.#withHits(start, MAX_NESTING - 1, (v) => this.#hitsObject(v), rootFallback);
    if (skipWs(text, read.end) !== text.length) throw FALLBACK;
    return read.rewrote ? read.text : text.slice(start, read.end);
  }

  /**
   * An object copied member by member (validated), its `hits` member replaced by
   * `rewrite`'s text; `refuse` names the keys the splicer leaves to the lossless path.
   */
  #withHits(
    start: number,
    nesting: number,
    rewrite: (valueStart: number) => { text: string; end: number },
    refuse: (key: string) => boolean,
  ): { text: string; end: number; rewrote: boolean } {
    const text = this.#text;
    if (text.charCodeAt(start) !== 0x7b) throw FALLBACK;
    const keys: string[] = [];
    const out = new Rebuilt(text);
    let rewrote = false;
    let i = skipWs(text, start + 1);
    if (text.charCodeAt(i) === 0x7d) return { text: '{}', end: i + 1, rewrote };
    for (;;) {
      const kStart = i;
      const kEnd = keyEnd(text, i, keys);
      const key = keys[keys.length - 1] as string;
      if (refuse(key)) throw FALLBACK;
      const v = afterColon(text, kEnd);
      if (key === 'hits') {
        const hits = rewrite(v);
        out.rewritten(kStart, kEnd, hits.text);
        i = hits.end;
        rewrote = true;
      } else {
        i = checkedEnd(text, v, nesting);
        out.asWritten(kStart, kEnd, v, i);
      }
      const next = separator(text, i, 0x7d);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    return { text: out.close(), end: i, rewrote };
  }

  /** `hits` at the top: always re-written (its `hits` array is). */
  #hitsObject(start: number): { text: string; end: number } {
    const read = this.#withHits(
      start,
      MAX_NESTING - 2,
      (v) => this.#hitArray(v),
      () => false,
    );
    if (!read.rewrote) throw FALLBACK;
    return read;
  }

  #hitArray(start: number): { text: string; end: number } {
    const text = this.#text;
    if (text.charCodeAt(start) !== 0x5b) throw FALLBACK;
    let out = '[';
    let kept = 0;
    let i = skipWs(text, start + 1);
    if (text.charCodeAt(i) === 0x5d) return { text: '[]', end: i + 1 };
    for (;;) {
      if (text.charCodeAt(i) !== 0x7b) throw FALLBACK;
      const hit = this.#hit(i);
      i = hit.end;
      if (hit.text === undefined) {
        this.dropped += 1;
      } else {
        if (kept > 0) out += ',';
        out += hit.text;
        kept += 1;
      }
      const next = separator(text, i, 0x5d);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    return { text: `${out}]`, end: i };
  }

  /**
   * Reads an object member by member into `store`. `lazy`: its children as the
   * reader reads a `_source`'s (validated only); `sub`: members whose object
   * value is read the same way, one level down into `#subMembers` (a hit's
   * `_source`, `fields` and `highlight`).
   */
  #object(start: number, lazy: boolean, nesting: number, store: MemberStore, sub?: SubObjects): MemberRange {
    const text = this.#text;
    const first = store.size;
    let i = skipWs(text, start + 1);
    if (text.charCodeAt(i) === 0x7d) return { start, end: i + 1, first, last: first };
    for (;;) {
      const kStart = i;
      const key = plainKey(text, i);
      if (store.find(key, first) >= 0) throw FALLBACK;
      const kEnd = i + key.length + 2;
      if (!lazy && banned(key)) throw FALLBACK;
      const v = afterColon(text, kEnd);
      const c = text.charCodeAt(v);
      let end: number;
      if (sub !== undefined && hitKey(key) === SUB_OBJECT) {
        if (c !== 0x7b) throw FALLBACK;
        const read = this.#object(v, key === '_source', nesting - 1, this.#subMembers);
        if (key === '_source') sub.source = read;
        else if (key === 'fields') sub.fields = read;
        else sub.highlight = read;
        end = read.end;
      } else if (!lazy) {
        end = checkedEnd(text, v, nesting - 1);
      } else if (c === 0x7b || c === 0x5b) {
        end = skipContainer(text, v, nesting - 1);
      } else {
        end = skipScalar(text, v);
      }
      store.add(key, kStart, kEnd, v, end);
      const next = separator(text, end, 0x7d);
      if (next < 0) return { start, end: ~next, first, last: store.size };
      i = next;
    }
  }

  /**
   * An object without the injected fields (and, in `fields` and `highlight`, their
   * sub-fields such as `_tenant.keyword`); undefined when it has none (its own text stands).
   */
  #stripped(read: MemberRange, subfields: boolean): string | undefined {
    const injected = this.#injected;
    const members = this.#subMembers;
    if (injected.length === 0) return undefined;
    let any = false;
    for (let m = read.first; m < read.last && !any; m++)
      any = isInjected(injected, members.key(m), subfields);
    if (!any) return undefined;
    const out = new Rebuilt(this.#text);
    for (let m = read.first; m < read.last; m++) {
      if (isInjected(injected, members.key(m), subfields)) continue;
      out.asWritten(members.keyStart(m), members.keyEnd(m), members.valueStart(m), members.valueEnd(m));
    }
    return out.close();
  }

  /** One hit: its client text, or undefined when it is not the view's (dropped). */
  #hit(start: number): { text: string | undefined; end: number } {
    const text = this.#text;
    const view = this.#view;
    const members = this.#hitMembers;
    members.clear();
    this.#subMembers.clear();
    const sub: SubObjects = { source: undefined, fields: undefined, highlight: undefined };
    // The hit is the fourth level: root, hits, the array, the hit.
    const hit = this.#object(start, false, MAX_NESTING - 3, members, sub);
    let foreign = false;
    let id: string | undefined;
    let changed = false;
    for (let m = hit.first; m < hit.last; m++) {
      const key = members.key(m);
      const kind = hitKey(key);
      if (kind === FALLBACK_KEY) throw FALLBACK;
      if (kind === NAME) {
        const valueStart = members.valueStart(m);
        if (text.charCodeAt(valueStart) !== 0x22) throw FALLBACK;
        if (key === '_index') foreign = !literalIs(text, valueStart, members.valueEnd(m), view.physical);
        else id = readString(text, valueStart).value;
        changed = true;
      } else if (kind === DROPPED) {
        changed = true;
      }
    }
    if (foreign) return { text: undefined, end: hit.end };
    let logicalId: string | undefined;
    if (id !== undefined) {
      logicalId = view.logicalId(id);
      if (logicalId === undefined) return { text: undefined, end: hit.end };
    }
    const source = sub.source;
    if (source !== undefined) {
      for (const [field, value] of this.#injectEntries) {
        const subMembers = this.#subMembers;
        const m = subMembers.find(field, source.first, source.last);
        const v = m < 0 ? -1 : subMembers.valueStart(m);
        if (v < 0 || text.charCodeAt(v) !== 0x22 || !literalIs(text, v, subMembers.valueEnd(m), value))
          return { text: undefined, end: hit.end };
      }
    }
    const sourceText = source === undefined ? undefined : this.#stripped(source, false);
    const fieldsText = sub.fields === undefined ? undefined : this.#stripped(sub.fields, true);
    const highlightText = sub.highlight === undefined ? undefined : this.#stripped(sub.highlight, true);
    if (sourceText !== undefined || fieldsText !== undefined || highlightText !== undefined) changed = true;
    if (!changed) return { text: text.slice(hit.start, hit.end), end: hit.end };
    const out = new Rebuilt(text);
    for (let m = hit.first; m < hit.last; m++) {
      const key = members.key(m);
      if (hitKey(key) === DROPPED) continue;
      let value: string | undefined;
      if (key === '_index') value = this.#logical;
      else if (key === '_id') value = emit(jString(logicalId as string));
      else if (key === '_source') value = sourceText;
      else if (key === 'fields') value = fieldsText;
      else if (key === 'highlight') value = highlightText;
      if (value === undefined)
        out.asWritten(members.keyStart(m), members.keyEnd(m), members.valueStart(m), members.valueEnd(m));
      else out.rewritten(members.keyStart(m), members.keyEnd(m), value);
    }
    return { text: out.close(), end: hit.end };
  }
}

/**
 * The client's text of a search-family reply and the foreign hits dropped, or
 * undefined when only the lossless shaper can say (the caller takes that path).
 */
export function spliceSearchReply(text: string, view: PartitionView): SplicedReply | undefined {
  try {
    const splicer = new Splicer(text, view);
    const out = splicer.root();
    return { text: out, dropped: splicer.dropped };
  } catch {
    return undefined;
  }
}
