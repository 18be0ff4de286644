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
import type { PartitionView } from '../rewrite/partition-view.js';
import { type MemberRange, MemberStore } from './splice-members.js';
import { SpliceOut } from './splice-out.js';
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

/** A hit's objects the shaper strips injected fields from, as read (their members in `#subMembers`). */
interface SubObjects {
  source: MemberRange | undefined;
  fields: MemberRange | undefined;
  highlight: MemberRange | undefined;
}

// The splicer runs start to end without yielding, so one set of scratch arrays
// serves every reply: allocated once, never regrown.
const HIT_MEMBERS = new MemberStore();
const SUB_MEMBERS = new MemberStore();
const OUT = new SpliceOut();

class Splicer {
  readonly #text: string;
  readonly #view: PartitionView;
  readonly #injected: readonly string[];
  readonly #injectEntries: readonly (readonly [string, string])[];
  readonly #logical: string;
  /** The current hit's members, and those of its `_source`, `fields` and `highlight`. */
  readonly #hitMembers = HIT_MEMBERS;
  readonly #subMembers = SUB_MEMBERS;
  readonly out = OUT;
  dropped = 0;

  constructor(text: string, view: PartitionView) {
    this.#text = text;
    this.#view = view;
    this.out.start(text);
    // Made once per view, not per reply (empty unless the index is shared).
    this.#injectEntries = view.injectEntries;
    this.#injected = view.injectedFields;
    this.#logical = view.logicalLiteral;
  }

  /** Splices the whole reply into `out`. */
  root(): void {
    const text = this.#text;
    const start = skipWs(text, 0);
    const read = this.#withHits(start, MAX_NESTING - 1, (v) => this.#hitsObject(v), rootFallback);
    if (skipWs(text, read.end) !== text.length) throw FALLBACK;
    if (!read.rewrote) {
      this.out.clear();
      this.out.range(start, read.end);
    }
  }

  /**
   * An object copied member by member (validated), its `hits` member replaced by
   * what `rewrite` writes (it returns the end of the value it read); `refuse`
   * names the keys the splicer leaves to the lossless path.
   */
  #withHits(
    start: number,
    nesting: number,
    rewrite: (valueStart: number) => number,
    refuse: (key: string) => boolean,
  ): { end: number; rewrote: boolean } {
    const text = this.#text;
    const out = this.out;
    if (text.charCodeAt(start) !== 0x7b) throw FALLBACK;
    const keys: string[] = [];
    let rewrote = false;
    out.char('{');
    let i = skipWs(text, start + 1);
    if (text.charCodeAt(i) === 0x7d) {
      out.char('}');
      return { end: i + 1, rewrote };
    }
    for (;;) {
      const kStart = i;
      const kEnd = keyEnd(text, i, keys);
      const key = keys[keys.length - 1] as string;
      if (refuse(key)) throw FALLBACK;
      const v = afterColon(text, kEnd);
      if (keys.length > 1) out.char(',');
      out.range(kStart, kEnd);
      out.char(':');
      if (key === 'hits') {
        i = rewrite(v);
        rewrote = true;
      } else {
        i = checkedEnd(text, v, nesting);
        out.range(v, i);
      }
      const next = separator(text, i, 0x7d);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    out.char('}');
    return { end: i, rewrote };
  }

  /** `hits` at the top: always re-written (its `hits` array is). */
  #hitsObject(start: number): number {
    const read = this.#withHits(
      start,
      MAX_NESTING - 2,
      (v) => this.#hitArray(v),
      () => false,
    );
    if (!read.rewrote) throw FALLBACK;
    return read.end;
  }

  /** The hits array written without the dropped hits; returns its end. */
  #hitArray(start: number): number {
    const text = this.#text;
    const out = this.out;
    if (text.charCodeAt(start) !== 0x5b) throw FALLBACK;
    out.char('[');
    let kept = 0;
    let i = skipWs(text, start + 1);
    if (text.charCodeAt(i) === 0x5d) {
      out.char(']');
      return i + 1;
    }
    for (;;) {
      if (text.charCodeAt(i) !== 0x7b) throw FALLBACK;
      const end = this.#hit(i, kept > 0);
      if (end < 0) {
        this.dropped += 1;
        i = ~end;
      } else {
        kept += 1;
        i = end;
      }
      const next = separator(text, i, 0x5d);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    out.char(']');
    return i;
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

  /** Whether a sub-object (of `#subMembers`) has injected fields to strip. */
  #hasInjected(read: MemberRange | undefined): boolean {
    const injected = this.#injected;
    if (read === undefined || injected.length === 0) return false;
    for (let m = read.first; m < read.last; m++) if (injected.includes(this.#subMembers.key(m))) return true;
    return false;
  }

  /** Writes a sub-object without the injected fields. */
  #writeStripped(read: MemberRange): void {
    const out = this.out;
    const injected = this.#injected;
    const members = this.#subMembers;
    out.char('{');
    let kept = 0;
    for (let m = read.first; m < read.last; m++) {
      if (injected.includes(members.key(m))) continue;
      if (kept > 0) out.char(',');
      out.range(members.keyStart(m), members.keyEnd(m));
      out.char(':');
      out.range(members.valueStart(m), members.valueEnd(m));
      kept += 1;
    }
    out.char('}');
  }

  /** The decoded string value of member `m` of `#subMembers` (undefined when it is not a string). */
  #subString(m: number): string | undefined {
    const v = this.#subMembers.valueStart(m);
    return this.#text.charCodeAt(v) === 0x22 ? readString(this.#text, v).value : undefined;
  }

  /**
   * One hit: written (after a `,` when `comma`) with its client text, its end
   * returned; or not the view's (dropped): nothing written, `~end` returned.
   */
  #hit(start: number, comma: boolean): number {
    const text = this.#text;
    const view = this.#view;
    const out = this.out;
    const members = this.#hitMembers;
    members.clear();
    this.#subMembers.clear();
    const sub: SubObjects = { source: undefined, fields: undefined, highlight: undefined };
    // The hit is the fourth level: root, hits, the array, the hit.
    const hit = this.#object(start, false, MAX_NESTING - 3, members, sub);
    let index: string | undefined;
    let id: string | undefined;
    let changed = false;
    for (let m = hit.first; m < hit.last; m++) {
      const key = members.key(m);
      const kind = hitKey(key);
      if (kind === FALLBACK_KEY) throw FALLBACK;
      if (kind === NAME) {
        const valueStart = members.valueStart(m);
        if (text.charCodeAt(valueStart) !== 0x22) throw FALLBACK;
        const value = readString(text, valueStart).value;
        if (key === '_index') index = value;
        else id = value;
        changed = true;
      } else if (kind === DROPPED) {
        changed = true;
      }
    }
    if (index !== undefined && index !== view.physical) return ~hit.end;
    let logicalId: string | undefined;
    if (id !== undefined) {
      logicalId = view.logicalId(id);
      if (logicalId === undefined) return ~hit.end;
    }
    const source = sub.source;
    if (source !== undefined) {
      for (const [field, value] of this.#injectEntries) {
        const m = this.#subMembers.find(field, source.first, source.last);
        const found = m < 0 ? undefined : this.#subString(m);
        if (found !== value) return ~hit.end;
      }
    }
    const stripSource = this.#hasInjected(source);
    const stripFields = this.#hasInjected(sub.fields);
    const stripHighlight = this.#hasInjected(sub.highlight);
    if (comma) out.char(',');
    if (!changed && !stripSource && !stripFields && !stripHighlight) {
      out.range(hit.start, hit.end);
      return hit.end;
    }
    out.char('{');
    let kept = 0;
    for (let m = hit.first; m < hit.last; m++) {
      const key = members.key(m);
      if (hitKey(key) === DROPPED) continue;
      if (kept > 0) out.char(',');
      out.range(members.keyStart(m), members.keyEnd(m));
      out.char(':');
      if (key === '_index') out.literal(this.#logical);
      else if (key === '_id') out.literal(emit(jString(logicalId as string)));
      else if (key === '_source' && stripSource) this.#writeStripped(source as MemberRange);
      else if (key === 'fields' && stripFields) this.#writeStripped(sub.fields as MemberRange);
      else if (key === 'highlight' && stripHighlight) this.#writeStripped(sub.highlight as MemberRange);
      else out.range(members.valueStart(m), members.valueEnd(m));
      kept += 1;
    }
    out.char('}');
    return hit.end;
  }
}

/** The spliced reply's output and drop count, or undefined when only the lossless shaper can say. */
function splice(text: string, view: PartitionView): Splicer | undefined {
  try {
    const splicer = new Splicer(text, view);
    splicer.root();
    return splicer;
  } catch {
    return undefined;
  }
}

/**
 * The client's text of a search-family reply and the foreign hits dropped, or
 * undefined when only the lossless shaper can say (the caller takes that path).
 */
export function spliceSearchReply(text: string, view: PartitionView): SplicedReply | undefined {
  const splicer = splice(text, view);
  return splicer === undefined ? undefined : { text: splicer.out.text(), dropped: splicer.dropped };
}

/**
 * `spliceSearchReply` as UTF-8 bytes, `text` being `bytes` decoded: the UTF-8
 * encoding of its text, copied from `bytes` range by range when they are ASCII.
 */
export function spliceSearchReplyBytes(
  text: string,
  bytes: Uint8Array,
  view: PartitionView,
): { readonly body: Uint8Array; readonly dropped: number } | undefined {
  const splicer = splice(text, view);
  return splicer === undefined ? undefined : { body: splicer.out.bytes(bytes), dropped: splicer.dropped };
}
