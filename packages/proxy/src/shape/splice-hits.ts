// The reply splicer: a search-family reply scanned once, on its UTF-8 bytes, and
// copied through range by range into one buffer, with only what the client's
// view changes rewritten (hit `_index` and `_id`, `_routing`/`_shard`/`_node`
// dropped, injected fields stripped from `_source`, `fields` and `highlight`,
// foreign hits dropped). It answers only where its output is certainly the bytes
// of the lossless shaper's text (`shapeSearchResponse`, emitted, UTF-8 encoded);
// anything else (inner or nested hits, hits inside aggregations, shard or item
// failures, cursors, escaped keys, a body that is not valid JSON or not valid
// UTF-8...) is `undefined`, and the caller takes that path.
//
// Nothing is decoded to text but a hit's `_id` (the view maps ids as strings), and
// no object is made per member: members are offsets in flat scratch arrays.
import { isUtf8 } from 'node:buffer';
import { jString } from '../json/build.js';
import { emit } from '../json/emit.js';
import type { PartitionView } from '../rewrite/partition-view.js';
import {
  ascii,
  ByteScan,
  bytesAre,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  FALLBACK,
  isWs,
  MAX_MEMBERS,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  sameBytes,
} from './splice-bytes-scan.js';

/** The spliced reply bytes and how many foreign hits it dropped. */
export interface SplicedReply {
  readonly body: Uint8Array;
  readonly dropped: number;
}

// Stricter than the lossless reader's cap (1100): deeper replies take that path.
// A value at depth `d` (the root is 1) may nest `MAX_NESTING - d + 1` levels, itself included.
const MAX_NESTING = 1000;

// What a hit's key is to the splicer: each known key its own code (a hit's keys are told
// apart by code, a known one seen twice is a duplicate).
const OTHER = 0;
/** `_index`: rewritten to the logical name. */
const INDEX = 1;
/** `_id`: rewritten to the logical id. */
const ID = 2;
/** `_routing`, `_shard`, `_node`: members the client never sees. */
const ROUTING = 3;
const SHARD = 7;
const NODE = 8;
/** `_source`, `fields`, `highlight`: objects the shaper strips injected fields from. */
const SOURCE = 4;
const FIELDS = 5;
const HIGHLIGHT = 6;

function dropped(kind: number): boolean {
  return kind === ROUTING || kind === SHARD || kind === NODE;
}

const K_INDEX = ascii('_index');
const K_ID = ascii('_id');
const K_ROUTING = ascii('_routing');
const K_SHARD = ascii('_shard');
const K_NODE = ascii('_node');
const K_SOURCE = ascii('_source');
const K_FIELDS = ascii('fields');
const K_HIGHLIGHT = ascii('highlight');
// A hit with one of these needs the tree (their hits are reshaped too): the lossless path.
const K_NESTED = ascii('_nested');
const K_INNER_HITS = ascii('inner_hits');
const K_HITS = ascii('hits');
const K_FAILURES = ascii('failures');
// Top-level members the splicer leaves to the lossless path.
const K_SCROLL_ID = ascii('_scroll_id');
const K_PIT_ID = ascii('pit_id');

/** What a hit's key `[s, e)` is to the splicer. */
function hitKey(b: Uint8Array, s: number, e: number): number {
  switch (e - s) {
    case 3:
      return bytesAre(b, s, e, K_ID) ? ID : OTHER;
    case 4:
      if (bytesAre(b, s, e, K_HITS)) throw FALLBACK;
      return OTHER;
    case 5:
      return bytesAre(b, s, e, K_NODE) ? NODE : OTHER;
    case 6:
      if (bytesAre(b, s, e, K_INDEX)) return INDEX;
      if (bytesAre(b, s, e, K_SHARD)) return SHARD;
      return bytesAre(b, s, e, K_FIELDS) ? FIELDS : OTHER;
    case 7:
      if (bytesAre(b, s, e, K_SOURCE)) return SOURCE;
      if (bytesAre(b, s, e, K_NESTED)) throw FALLBACK;
      return OTHER;
    case 8:
      if (bytesAre(b, s, e, K_ROUTING)) return ROUTING;
      if (bytesAre(b, s, e, K_FAILURES)) throw FALLBACK;
      return OTHER;
    case 9:
      return bytesAre(b, s, e, K_HIGHLIGHT) ? HIGHLIGHT : OTHER;
    case 10:
      if (bytesAre(b, s, e, K_INNER_HITS)) throw FALLBACK;
      return OTHER;
    default:
      return OTHER;
  }
}

/** A view's names as bytes, made once per view. */
interface ViewBytes {
  readonly physical: Uint8Array;
  readonly logicalLiteral: Uint8Array;
  /** The injected fields (`injectEntries` order) and their values. */
  readonly fields: readonly Uint8Array[];
  readonly values: readonly Uint8Array[];
  /** What `logicalId` strips from a physical id, when it is a prefix (`''`: ids are not rewritten). */
  readonly idPrefix: Uint8Array | undefined;
}

/** UTF-8 as a plain `Uint8Array` (not a Buffer: every word compared has one element kind). */
function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

const byView = new WeakMap<PartitionView, ViewBytes>();

function viewBytes(view: PartitionView): ViewBytes {
  let bytes = byView.get(view);
  if (bytes === undefined) {
    bytes = {
      physical: utf8(view.physical),
      logicalLiteral: utf8(view.logicalLiteral),
      fields: view.injectEntries.map(([field]) => utf8(field)),
      values: view.injectEntries.map(([, value]) => utf8(value)),
      idPrefix: view.logicalIdPrefix === undefined ? undefined : utf8(view.logicalIdPrefix),
    };
    byView.set(view, bytes);
  }
  return bytes;
}

/**
 * The output: ranges of the reply copied as runs (a range that continues the last
 * one, or a byte the reply has right after it, extends it), and bytes of our own.
 * The output buffer starts as a copy of the reply: the output is mostly the reply
 * with parts cut out, so a run is moved down within it (`copyWithin`, a memmove)
 * rather than copied byte by byte, wherever it has not been written over yet.
 */
class Out {
  readonly #src: Buffer;
  #buf: Buffer;
  /** Whether `#buf` past `#n` still holds the reply's bytes at their own offsets. */
  #inPlace = true;
  #n = 0;
  #runStart = -1;
  #runEnd = -1;

  constructor(src: Buffer) {
    this.#src = src;
    // Replies mostly shrink (names shortened, members dropped): the reply's size is room enough.
    this.#buf = Buffer.allocUnsafe(src.length + 64);
    this.#buf.set(src, 0);
  }

  copy(start: number, end: number): void {
    if (this.#runStart >= 0 && this.#runEnd === start) {
      this.#runEnd = end;
      return;
    }
    this.#flush();
    this.#runStart = start;
    this.#runEnd = end;
  }

  byte(c: number): void {
    if (this.#runStart >= 0 && this.#src[this.#runEnd] === c) {
      this.#runEnd += 1;
      return;
    }
    this.#flush();
    this.#room(1);
    this.#buf[this.#n++] = c;
  }

  bytes(bytes: Uint8Array): void {
    this.#flush();
    const length = bytes.length;
    this.#room(length);
    const buf = this.#buf;
    const n = this.#n;
    for (let k = 0; k < length; k++) buf[n + k] = bytes[k] as number;
    this.#n = n + length;
  }

  text(text: string): void {
    this.#flush();
    this.#room(Buffer.byteLength(text, 'utf8'));
    this.#n += this.#buf.write(text, this.#n, 'utf8');
  }

  done(): Uint8Array {
    this.#flush();
    return this.#buf.subarray(0, this.#n);
  }

  #flush(): void {
    const start = this.#runStart;
    if (start < 0) return;
    const length = this.#runEnd - start;
    this.#runStart = -1;
    this.#room(length);
    const buf = this.#buf;
    const n = this.#n;
    this.#n = n + length;
    // Below `start` only what was written: the run's bytes are still there to move down.
    if (this.#inPlace && n <= start) {
      if (n < start) buf.copyWithin(n, start, start + length);
      return;
    }
    const src = this.#src;
    for (let k = 0; k < length; k++) buf[n + k] = src[start + k] as number;
  }

  #room(more: number): void {
    if (this.#n + more <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#n + more));
    this.#buf.copy(grown, 0, 0, this.#n);
    this.#buf = grown;
    this.#inPlace = false;
  }
}

// A hit's members: kind, key start, key end (past its quote), value start, value end, and
// the value's string flags (a string value's literal had an escape, a byte past 0x7f).
const HIT_STRIDE = 6;
// A hit's `_source`, `fields` and `highlight` members: key start, key end, value start,
// value end, 1 when the member is an injected field (the client never sees it), string flags.
const SUB_STRIDE = 6;
const ESCAPED = 1;
const NON_ASCII = 2;
let hitMembers = new Int32Array(64 * HIT_STRIDE);
let subMembers = new Int32Array(256 * SUB_STRIDE);

class Splicer {
  readonly #b: Buffer;
  readonly #scan: ByteScan;
  readonly #out: Out;
  readonly #view: PartitionView;
  readonly #names: ViewBytes;
  readonly #shared: boolean;
  dropped = 0;
  // The current hit: its member count, and its sub-objects' member ranges (first, last) in `subMembers`.
  #hitCount = 0;
  #subCount = 0;
  #source = -1;
  #sourceEnd = -1;
  #fields = -1;
  #fieldsEnd = -1;
  #highlight = -1;
  #highlightEnd = -1;

  constructor(b: Buffer, view: PartitionView) {
    this.#b = b;
    this.#scan = new ByteScan(b);
    this.#out = new Out(b);
    this.#view = view;
    this.#names = viewBytes(view);
    this.#shared = this.#names.fields.length > 0;
  }

  root(): Uint8Array {
    const scan = this.#scan;
    const start = scan.skipWs(0);
    const end = this.#withHits(start, 1, true);
    if (scan.skipWs(end) !== scan.length) throw FALLBACK;
    // Non-ASCII bytes were read inside strings: the splice holds only if the body decodes as it is.
    if (scan.anyNonAscii && !isUtf8(this.#b)) throw FALLBACK;
    if (end < 0) return this.#b.subarray(start, ~end);
    return this.#out.done();
  }

  /**
   * An object (the reply at `depth` 1, or its `hits` object at 2) rebuilt member by
   * member, its `hits` member rewritten; the end of the object, or `~end` when it has
   * no `hits` member (then nothing it wrote counts: the root is its own text, and
   * a `hits` object without one is the lossless path's).
   */
  #withHits(start: number, depth: number, root: boolean): number {
    const scan = this.#scan;
    const b = this.#b;
    const out = this.#out;
    if (scan.at(start) !== OPEN_BRACE) throw FALLBACK;
    const mark = scan.keyMark;
    let rewrote = false;
    out.byte(OPEN_BRACE);
    let i = scan.skipWs(start + 1);
    if (scan.at(i) === CLOSE_BRACE) {
      if (!root) throw FALLBACK;
      return ~(i + 1);
    }
    let count = 0;
    for (;;) {
      const kStart = i;
      const kEnd = scan.keyEnd(i);
      const ks = kStart + 1;
      const ke = kEnd - 1;
      scan.addKey(mark, ks, ke);
      if (
        root &&
        (bytesAre(b, ks, ke, K_FAILURES) || bytesAre(b, ks, ke, K_SCROLL_ID) || bytesAre(b, ks, ke, K_PIT_ID))
      )
        throw FALLBACK;
      const v = scan.afterColon(kEnd);
      if (count++ > 0) out.byte(COMMA);
      out.copy(kStart, kEnd);
      out.byte(COLON);
      if (bytesAre(b, ks, ke, K_HITS)) {
        i = root ? this.#withHits(v, depth + 1, false) : this.#hitArray(v);
        rewrote = true;
      } else {
        i = scan.valueEnd(v, MAX_NESTING - depth, true);
        out.copy(v, i);
      }
      const next = scan.separator(i, CLOSE_BRACE);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    scan.release(mark);
    if (!rewrote) {
      if (!root) throw FALLBACK;
      return ~i;
    }
    out.byte(CLOSE_BRACE);
    return i;
  }

  /** The `hits` array (depth 3): own hits shaped, foreign ones dropped. */
  #hitArray(start: number): number {
    const scan = this.#scan;
    const out = this.#out;
    if (scan.at(start) !== OPEN_BRACKET) throw FALLBACK;
    out.byte(OPEN_BRACKET);
    let i = scan.skipWs(start + 1);
    if (scan.at(i) === CLOSE_BRACKET) {
      out.byte(CLOSE_BRACKET);
      return i + 1;
    }
    let kept = 0;
    for (;;) {
      if (scan.at(i) !== OPEN_BRACE) throw FALLBACK;
      const end = this.#readHit(i);
      if (this.#ownHit()) {
        if (kept++ > 0) out.byte(COMMA);
        this.#writeHit(i, end);
      } else {
        this.dropped += 1;
      }
      const next = scan.separator(end, CLOSE_BRACKET);
      if (next < 0) {
        i = ~next;
        break;
      }
      i = next;
    }
    out.byte(CLOSE_BRACKET);
    return i;
  }

  /**
   * Reads the hit at `start` (depth 4) into `hitMembers`; its end. Its keys are told
   * apart by kind: a known one seen twice, or an other one equal to an earlier other
   * one, is a duplicate (the lossless path's refusal).
   */
  #readHit(start: number): number {
    const scan = this.#scan;
    const b = this.#b;
    this.#hitCount = 0;
    this.#subCount = 0;
    this.#source = -1;
    this.#fields = -1;
    this.#highlight = -1;
    let seen = 0;
    let i = scan.skipWs(start + 1);
    if (b[i] === CLOSE_BRACE) return i + 1;
    for (;;) {
      const kStart = i;
      const kEnd = scan.keyEnd(i);
      const kind = hitKey(b, kStart + 1, kEnd - 1);
      if (kind === OTHER) this.#otherKey(kStart + 1, kEnd - 1);
      else if ((seen & (1 << kind)) !== 0) throw FALLBACK;
      else seen |= 1 << kind;
      // `"key":value` as replies are written, else whitespace around the colon.
      const v = b[kEnd] === COLON && !isWs(b[kEnd + 1] as number) ? kEnd + 1 : scan.afterColon(kEnd);
      let end: number;
      let flags = 0;
      if (kind === SOURCE || kind === FIELDS || kind === HIGHLIGHT) {
        if (b[v] !== OPEN_BRACE) throw FALLBACK;
        const first = this.#subCount;
        end = this.#readSub(v, kind === SOURCE);
        if (kind === SOURCE) {
          this.#source = first;
          this.#sourceEnd = this.#subCount;
        } else if (kind === FIELDS) {
          this.#fields = first;
          this.#fieldsEnd = this.#subCount;
        } else {
          this.#highlight = first;
          this.#highlightEnd = this.#subCount;
        }
      } else if (b[v] === QUOTE) {
        end = scan.stringEnd(v) + 1;
        flags = (scan.escaped ? ESCAPED : 0) | (scan.nonAscii ? NON_ASCII : 0);
      } else {
        end = scan.valueEnd(v, MAX_NESTING - 4, true);
      }
      this.#addHitMember(kind, kStart, kEnd, v, end, flags);
      if (b[end] === COMMA && !isWs(b[end + 1] as number)) {
        i = end + 1;
        continue;
      }
      const next = scan.separator(end, CLOSE_BRACE);
      if (next < 0) return ~next;
      i = next;
    }
  }

  /** An other key of the current hit `[ks, ke)`: refused when an earlier other key is the same. */
  #otherKey(ks: number, ke: number): void {
    const b = this.#b;
    for (let m = 0; m < this.#hitCount; m++) {
      const o = m * HIT_STRIDE;
      if (
        hitMembers[o] === OTHER &&
        sameBytes(b, (hitMembers[o + 1] as number) + 1, (hitMembers[o + 2] as number) - 1, ks, ke)
      )
        throw FALLBACK;
    }
  }

  #addHitMember(kind: number, kStart: number, kEnd: number, v: number, end: number, flags: number): void {
    const m = this.#hitCount;
    if (m >= MAX_MEMBERS) throw FALLBACK;
    if ((m + 1) * HIT_STRIDE > hitMembers.length) {
      const grown = new Int32Array(hitMembers.length * 2);
      grown.set(hitMembers);
      hitMembers = grown;
    }
    const o = m * HIT_STRIDE;
    hitMembers[o] = kind;
    hitMembers[o + 1] = kStart;
    hitMembers[o + 2] = kEnd;
    hitMembers[o + 3] = v;
    hitMembers[o + 4] = end;
    hitMembers[o + 5] = flags;
    this.#hitCount = m + 1;
  }

  /**
   * A hit's `_source` (`lazy`: what is inside its members only validated, as the
   * reader scans a source) or `fields`/`highlight` (read as the reader reads them)
   * at depth 5, its members into `subMembers`, each marked when it is injected.
   */
  #readSub(start: number, lazy: boolean): number {
    const scan = this.#scan;
    const b = this.#b;
    const mark = scan.keyMark;
    let i = scan.skipWs(start + 1);
    if (b[i] === CLOSE_BRACE) return i + 1;
    for (;;) {
      const kStart = i;
      const kEnd = scan.keyEnd(i);
      const ks = kStart + 1;
      const ke = kEnd - 1;
      scan.addKey(mark, ks, ke);
      if (!lazy && (bytesAre(b, ks, ke, K_HITS) || bytesAre(b, ks, ke, K_FAILURES))) throw FALLBACK;
      const v = b[kEnd] === COLON && !isWs(b[kEnd + 1] as number) ? kEnd + 1 : scan.afterColon(kEnd);
      let end: number;
      let flags = 0;
      if (b[v] === QUOTE) {
        end = scan.stringEnd(v) + 1;
        flags = (scan.escaped ? ESCAPED : 0) | (scan.nonAscii ? NON_ASCII : 0);
      } else {
        end = scan.valueEnd(v, MAX_NESTING - 5, !lazy);
      }
      const injected = this.#shared && this.#isInjected(ks, ke, !lazy);
      const m = this.#subCount;
      if ((m + 1) * SUB_STRIDE > subMembers.length) {
        const grown = new Int32Array(subMembers.length * 2);
        grown.set(subMembers);
        subMembers = grown;
      }
      const o = m * SUB_STRIDE;
      subMembers[o] = kStart;
      subMembers[o + 1] = kEnd;
      subMembers[o + 2] = v;
      subMembers[o + 3] = end;
      subMembers[o + 4] = injected ? 1 : 0;
      subMembers[o + 5] = flags;
      this.#subCount = m + 1;
      if (b[end] === COMMA && !isWs(b[end + 1] as number)) {
        i = end + 1;
        continue;
      }
      const next = scan.separator(end, CLOSE_BRACE);
      if (next < 0) {
        scan.release(mark);
        return ~next;
      }
      i = next;
    }
  }

  /** Whether the key `[ks, ke)` is an injected field (with `subfields`, also one of its multi-fields: `_tenant.keyword`). */
  #isInjected(ks: number, ke: number, subfields: boolean): boolean {
    const b = this.#b;
    for (const field of this.#names.fields) {
      const n = field.length;
      if (ke - ks === n) {
        if (bytesAre(b, ks, ke, field)) return true;
      } else if (subfields && ke - ks > n && b[ks + n] === 0x2e && bytesAre(b, ks, ks + n, field)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the string literal `[start, end)` (with `flags` as read) reads `expected` (`bytes`, its UTF-8). */
  #literalIs(start: number, end: number, flags: number, bytes: Uint8Array, expected: string): boolean {
    if ((flags & ESCAPED) === 0) return bytesAre(this.#b, start + 1, end - 1, bytes);
    return this.#decode(start, end, flags) === expected;
  }

  /** The decoded value of the (validated) string literal `[start, end)` with `flags`. */
  #decode(start: number, end: number, flags: number): string {
    if ((flags & ESCAPED) !== 0) return JSON.parse(this.#b.toString('utf8', start, end)) as string;
    return this.#b.toString((flags & NON_ASCII) !== 0 ? 'utf8' : 'latin1', start + 1, end - 1);
  }

  // Decided by `#ownHit`, written by `#writeHit`.
  #logicalId = '';
  #idPlain = false;
  #idBytes = 0;
  #changed = false;

  /** Whether the hit just read is the view's (else it is dropped), as `PartitionView.owns` says. */
  #ownHit(): boolean {
    const b = this.#b;
    const view = this.#view;
    const names = this.#names;
    let foreign = false;
    let idAt = -1;
    let changed = false;
    for (let m = 0; m < this.#hitCount; m++) {
      const o = m * HIT_STRIDE;
      const kind = hitMembers[o] as number;
      if (kind === INDEX || kind === ID) {
        const v = hitMembers[o + 3] as number;
        if (b[v] !== QUOTE) throw FALLBACK;
        if (kind === INDEX)
          foreign = !this.#literalIs(
            v,
            hitMembers[o + 4] as number,
            hitMembers[o + 5] as number,
            names.physical,
            view.physical,
          );
        else idAt = o;
        changed = true;
      } else if (dropped(kind)) {
        changed = true;
      }
    }
    if (foreign) return false;
    if (idAt >= 0) {
      const v = hitMembers[idAt + 3] as number;
      const end = hitMembers[idAt + 4] as number;
      const flags = hitMembers[idAt + 5] as number;
      const prefix = names.idPrefix;
      if (prefix !== undefined && (flags & ESCAPED) === 0) {
        // A plain literal: its logical id is what follows the prefix, copied as it is.
        const n = prefix.length;
        if (end - 2 - v < n || !bytesAre(b, v + 1, v + 1 + n, prefix)) return false;
        this.#idPlain = true;
        this.#idBytes = end - 2 - v - n;
      } else {
        const id = this.#decode(v, end, flags);
        const logical = view.logicalId(id);
        if (logical === undefined) return false;
        this.#logicalId = logical;
        // A plain literal's logical id is its own tail when it ends the id: copied, not encoded.
        this.#idPlain = (flags & ESCAPED) === 0 && id.endsWith(logical);
        this.#idBytes = (flags & NON_ASCII) !== 0 ? Buffer.byteLength(logical, 'utf8') : logical.length;
      }
    }
    if (this.#source >= 0 && this.#shared) {
      const { fields, values } = names;
      const entries = view.injectEntries;
      for (let f = 0; f < fields.length; f++) {
        const m = this.#findSub(fields[f] as Uint8Array, this.#source, this.#sourceEnd);
        if (m < 0) return false;
        const o = m * SUB_STRIDE;
        const v = subMembers[o + 2] as number;
        if (
          b[v] !== QUOTE ||
          !this.#literalIs(
            v,
            subMembers[o + 3] as number,
            subMembers[o + 5] as number,
            values[f] as Uint8Array,
            (entries[f] as readonly [string, string])[1],
          )
        )
          return false;
      }
    }
    if (!changed && this.#shared)
      changed =
        this.#anyInjected(this.#source, this.#sourceEnd) ||
        this.#anyInjected(this.#fields, this.#fieldsEnd) ||
        this.#anyInjected(this.#highlight, this.#highlightEnd);
    this.#changed = changed;
    return true;
  }

  #findSub(field: Uint8Array, first: number, last: number): number {
    for (let m = first; m < last; m++) {
      const o = m * SUB_STRIDE;
      // Injected members are marked as read: only they can be `field`.
      if (
        subMembers[o + 4] === 1 &&
        bytesAre(this.#b, (subMembers[o] as number) + 1, (subMembers[o + 1] as number) - 1, field)
      )
        return m;
    }
    return -1;
  }

  #anyInjected(first: number, last: number): boolean {
    if (first < 0) return false;
    for (let m = first; m < last; m++) if (subMembers[m * SUB_STRIDE + 4] === 1) return true;
    return false;
  }

  /** Writes the own hit `[start, end)` just decided: as it is, or rebuilt as the shaper writes it. */
  #writeHit(start: number, end: number): void {
    const out = this.#out;
    if (!this.#changed) {
      out.copy(start, end);
      return;
    }
    out.byte(OPEN_BRACE);
    let count = 0;
    for (let m = 0; m < this.#hitCount; m++) {
      const o = m * HIT_STRIDE;
      const kind = hitMembers[o] as number;
      if (dropped(kind)) continue;
      if (count++ > 0) out.byte(COMMA);
      out.copy(hitMembers[o + 1] as number, hitMembers[o + 2] as number);
      out.byte(COLON);
      const v = hitMembers[o + 3] as number;
      const vEnd = hitMembers[o + 4] as number;
      if (kind === INDEX) out.bytes(this.#names.logicalLiteral);
      else if (kind === ID) this.#writeId(vEnd);
      else if (kind === SOURCE) this.#writeSub(v, vEnd, this.#source, this.#sourceEnd);
      else if (kind === FIELDS) this.#writeSub(v, vEnd, this.#fields, this.#fieldsEnd);
      else if (kind === HIGHLIGHT) this.#writeSub(v, vEnd, this.#highlight, this.#highlightEnd);
      else out.copy(v, vEnd);
    }
    out.byte(CLOSE_BRACE);
  }

  /** The logical id as the shaper writes it (`emit(jString(id))`), the `_id` literal ending at `end`. */
  #writeId(end: number): void {
    const out = this.#out;
    if (this.#idPlain) {
      // The literal held no escape, so neither does its tail: `"<tail>"` is what the shaper writes.
      out.byte(QUOTE);
      out.copy(end - 1 - this.#idBytes, end);
      return;
    }
    out.text(emit(jString(this.#logicalId)));
  }

  /** A sub-object `[start, end)` without its injected members (as it is when it has none). */
  #writeSub(start: number, end: number, first: number, last: number): void {
    const out = this.#out;
    if (!this.#shared || !this.#anyInjected(first, last)) {
      out.copy(start, end);
      return;
    }
    out.byte(OPEN_BRACE);
    let count = 0;
    for (let m = first; m < last; m++) {
      const o = m * SUB_STRIDE;
      if (subMembers[o + 4] === 1) continue;
      if (count++ > 0) out.byte(COMMA);
      out.copy(subMembers[o] as number, subMembers[o + 1] as number);
      out.byte(COLON);
      out.copy(subMembers[o + 2] as number, subMembers[o + 3] as number);
    }
    out.byte(CLOSE_BRACE);
  }
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * The client's bytes of a search-family reply and the foreign hits dropped, or
 * undefined when only the lossless shaper can say (the caller takes that path).
 */
export function spliceSearchReply(body: Uint8Array, view: PartitionView): SplicedReply | undefined {
  try {
    const splicer = new Splicer(asBuffer(body), view);
    const out = splicer.root();
    return { body: out, dropped: splicer.dropped };
  } catch {
    return undefined;
  }
}
