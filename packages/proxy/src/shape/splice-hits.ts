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
  keySignature,
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
const K_GET = ascii('get');

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
  /** Whether `#buf` from `#high` on still holds the reply's bytes at their own offsets. */
  #inPlace = true;
  #n = 0;
  /** How far output was written before the last `reset` (a rolled-back write leaves its bytes there). */
  #high = 0;
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

  /** Where the output stands, for `reset`. */
  mark(): number {
    this.#flush();
    return this.#n;
  }

  /** Forgets what was written since `mark`. */
  reset(mark: number): void {
    this.#runStart = -1;
    this.#note();
    this.#n = mark;
  }

  #note(): void {
    if (this.#n > this.#high) this.#high = this.#n;
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
    // Nothing was ever written at or past `start` (all writes were below `#n`, or below
    // `#high` before a reset): the run's bytes are still there to move down.
    if (this.#inPlace && start >= n && start >= this.#high) {
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

const ESCAPED = 1;
const NON_ASCII = 2;
// `#injectedField` of a multi-field of an injected field (`_tenant.keyword`): its index plus this.
const INJECTED_EXACT = 1 << 16;
// The other keys of the current hit (start, end, signature triples), to tell duplicates; reused hit after hit.
let otherKeys = new Int32Array(96);

class Splicer {
  readonly #b: Buffer;
  readonly #scan: ByteScan;
  readonly #out: Out;
  readonly #view: PartitionView;
  readonly #names: ViewBytes;
  readonly #shared: boolean;
  dropped = 0;

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
   * A write result (or another single document reply) as `shapeWriteResult` writes it:
   * `_index` the logical name, `_id` the logical id where it is the view's (else as it
   * came), dropped members and injected fields left out, every other member as it came.
   */
  document(): Uint8Array {
    const scan = this.#scan;
    const start = scan.skipWs(0);
    if (scan.at(start) !== OPEN_BRACE) throw FALLBACK;
    const end = this.#document(start);
    if (scan.skipWs(end) !== scan.length) throw FALLBACK;
    if (scan.anyNonAscii && !isUtf8(this.#b)) throw FALLBACK;
    return this.#out.done();
  }

  /** The document at `start` (the reply itself, depth 1), written as the shaper writes it. */
  #document(start: number): number {
    const scan = this.#scan;
    const b = this.#b;
    const out = this.#out;
    const names = this.#names;
    this.#seen = 0;
    this.#others = 0;
    this.#stripped = false;
    let changed = false;
    let count = 0;
    out.byte(OPEN_BRACE);
    let i = scan.skipWs(start + 1);
    let end: number;
    if (b[i] === CLOSE_BRACE) {
      end = i + 1;
    } else {
      for (;;) {
        const kStart = i;
        const kEnd = scan.keyEnd(i);
        // `get` (an update's document) is shaped as a document too: the lossless path's.
        if (bytesAre(b, kStart + 1, kEnd - 1, K_GET)) throw FALLBACK;
        const kind = hitKey(b, kStart + 1, kEnd - 1);
        if (kind === OTHER) this.#otherKey(kStart + 1, kEnd - 1);
        else if ((this.#seen & (1 << kind)) !== 0) throw FALLBACK;
        else this.#seen |= 1 << kind;
        const v = b[kEnd] === COLON && !isWs(b[kEnd + 1] as number) ? kEnd + 1 : scan.afterColon(kEnd);
        let vEnd: number;
        if (dropped(kind)) {
          vEnd = scan.valueEnd(v, MAX_NESTING - 1, true);
          changed = true;
        } else {
          if (count++ > 0) out.byte(COMMA);
          out.copy(kStart, kEnd);
          out.byte(COLON);
          if (kind === INDEX) {
            vEnd = scan.valueEnd(v, MAX_NESTING - 1, true);
            out.bytes(names.logicalLiteral);
            changed = true;
          } else if (kind === ID && b[v] === QUOTE) {
            vEnd = scan.stringEnd(v) + 1;
            const flags = (scan.escaped ? ESCAPED : 0) | (scan.nonAscii ? NON_ASCII : 0);
            // An id that is not the view's stays as it came (and changes nothing).
            if (this.#writeId(v, vEnd, flags)) changed = true;
            else out.copy(v, vEnd);
          } else if (kind === SOURCE || kind === FIELDS || kind === HIGHLIGHT) {
            if (b[v] !== OPEN_BRACE) throw FALLBACK;
            vEnd = this.#sub(v, kind === SOURCE);
          } else {
            vEnd = scan.valueEnd(v, MAX_NESTING - 1, true);
            out.copy(v, vEnd);
          }
        }
        if (b[vEnd] === COMMA && !isWs(b[vEnd + 1] as number)) {
          i = vEnd + 1;
          continue;
        }
        const next = scan.separator(vEnd, CLOSE_BRACE);
        if (next < 0) {
          end = ~next;
          break;
        }
        i = next;
      }
    }
    if (changed || this.#stripped) {
      out.byte(CLOSE_BRACE);
    } else {
      // Nothing the shaper changes: the document as it came.
      out.reset(0);
      out.copy(start, end);
    }
    return end;
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
      const before = out.mark();
      if (kept > 0) out.byte(COMMA);
      const end = this.#hit(i, out.mark());
      if (this.#kept) {
        kept += 1;
      } else {
        out.reset(before);
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

  // The current hit, as `#hit` reads it.
  /** Whether the hit was kept (written), else dropped (nothing of it written). */
  #kept = false;
  /** Its kinds seen (a bit each), its other keys (start, end pairs in `otherKeys`). */
  #seen = 0;
  #others = 0;
  /** The injected fields its `_source` holds with the view's values (a bit each), and whether one differs. */
  #injectedSeen = 0;
  #injectedWrong = false;
  /** Whether its `_source`, `fields` or `highlight` lost an injected member. */
  #stripped = false;

  /**
   * The hit at `start` (depth 4), read once and written as it is read: as the shaper
   * writes it (keys and values as written, `_index` and `_id` rewritten, dropped members
   * and injected fields left out). One that is not the view's (as `PartitionView.owns`
   * says) is taken back to `mark`; one the shaper leaves alone is written as it came.
   * Everything is still read to its end, so a reply the lossless path refuses is refused.
   */
  #hit(start: number, mark: number): number {
    const scan = this.#scan;
    const b = this.#b;
    const out = this.#out;
    const view = this.#view;
    const names = this.#names;
    this.#seen = 0;
    this.#others = 0;
    this.#injectedSeen = 0;
    this.#injectedWrong = false;
    this.#stripped = false;
    let own = true;
    let changed = false;
    let hasSource = false;
    let count = 0;
    out.byte(OPEN_BRACE);
    let i = scan.skipWs(start + 1);
    let end: number;
    if (b[i] === CLOSE_BRACE) {
      end = i + 1;
    } else {
      for (;;) {
        const kStart = i;
        const kEnd = scan.keyEnd(i);
        const kind = hitKey(b, kStart + 1, kEnd - 1);
        if (kind === OTHER) this.#otherKey(kStart + 1, kEnd - 1);
        else if ((this.#seen & (1 << kind)) !== 0) throw FALLBACK;
        else this.#seen |= 1 << kind;
        // `"key":value` as replies are written, else whitespace around the colon.
        const v = b[kEnd] === COLON && !isWs(b[kEnd + 1] as number) ? kEnd + 1 : scan.afterColon(kEnd);
        let vEnd: number;
        if (dropped(kind)) {
          vEnd = scan.valueEnd(v, MAX_NESTING - 4, true);
          changed = true;
        } else {
          if (count++ > 0) out.byte(COMMA);
          out.copy(kStart, kEnd);
          out.byte(COLON);
          if (kind === INDEX || kind === ID) {
            if (b[v] !== QUOTE) throw FALLBACK;
            vEnd = scan.stringEnd(v) + 1;
            const flags = (scan.escaped ? ESCAPED : 0) | (scan.nonAscii ? NON_ASCII : 0);
            changed = true;
            if (kind === INDEX) {
              if (!this.#literalIs(v, vEnd, flags, names.physical, view.physical)) own = false;
              out.bytes(names.logicalLiteral);
            } else if (own && !this.#writeId(v, vEnd, flags)) {
              own = false;
            }
          } else if (kind === SOURCE || kind === FIELDS || kind === HIGHLIGHT) {
            if (b[v] !== OPEN_BRACE) throw FALLBACK;
            if (kind === SOURCE) hasSource = true;
            vEnd = this.#sub(v, kind === SOURCE);
          } else {
            vEnd = scan.valueEnd(v, MAX_NESTING - 4, true);
            out.copy(v, vEnd);
          }
        }
        if (b[vEnd] === COMMA && !isWs(b[vEnd + 1] as number)) {
          i = vEnd + 1;
          continue;
        }
        const next = scan.separator(vEnd, CLOSE_BRACE);
        if (next < 0) {
          end = ~next;
          break;
        }
        i = next;
      }
    }
    // A shared index's hit is the view's only when its source holds every injected field with the view's value.
    if (own && hasSource && this.#shared)
      own = !this.#injectedWrong && this.#injectedSeen === (1 << names.fields.length) - 1;
    this.#kept = own;
    if (!own) {
      out.reset(mark);
      return end;
    }
    if (changed || this.#stripped) {
      out.byte(CLOSE_BRACE);
    } else {
      // Nothing the shaper changes: the hit as it came (whitespace and all).
      out.reset(mark);
      out.copy(start, end);
    }
    return end;
  }

  /** An other key of the current hit `[ks, ke)`: refused when an earlier other key is the same. */
  #otherKey(ks: number, ke: number): void {
    const b = this.#b;
    const n = this.#others;
    const sig = keySignature(b, ks, ke);
    for (let m = 0; m < n; m++) {
      if (
        otherKeys[3 * m + 2] === sig &&
        sameBytes(b, otherKeys[3 * m] as number, otherKeys[3 * m + 1] as number, ks, ke)
      )
        throw FALLBACK;
    }
    if (n >= MAX_MEMBERS) throw FALLBACK;
    if (3 * n + 3 > otherKeys.length) {
      const grown = new Int32Array(otherKeys.length * 2);
      grown.set(otherKeys);
      otherKeys = grown;
    }
    otherKeys[3 * n] = ks;
    otherKeys[3 * n + 1] = ke;
    otherKeys[3 * n + 2] = sig;
    this.#others = n + 1;
  }

  /**
   * A hit's `_source` (`source`: what is inside its members only validated, as the
   * reader scans a source) or `fields`/`highlight` (read as the reader reads them) at
   * depth 5, written without its injected members (as it came when it has none). In a
   * source, each injected field is checked against the view's value.
   */
  #sub(start: number, source: boolean): number {
    const scan = this.#scan;
    const b = this.#b;
    const out = this.#out;
    const lazy = source;
    const keys = scan.keyMark;
    const mark = out.mark();
    let stripped = false;
    let count = 0;
    out.byte(OPEN_BRACE);
    let i = scan.skipWs(start + 1);
    let end: number;
    if (b[i] === CLOSE_BRACE) {
      end = i + 1;
    } else {
      for (;;) {
        const kStart = i;
        const kEnd = scan.keyEnd(i);
        const ks = kStart + 1;
        const ke = kEnd - 1;
        scan.addKey(keys, ks, ke);
        if (!lazy && (bytesAre(b, ks, ke, K_HITS) || bytesAre(b, ks, ke, K_FAILURES))) throw FALLBACK;
        const v = b[kEnd] === COLON && !isWs(b[kEnd + 1] as number) ? kEnd + 1 : scan.afterColon(kEnd);
        let vEnd: number;
        let flags = 0;
        if (b[v] === QUOTE) {
          vEnd = scan.stringEnd(v) + 1;
          flags = (scan.escaped ? ESCAPED : 0) | (scan.nonAscii ? NON_ASCII : 0);
        } else {
          vEnd = scan.valueEnd(v, MAX_NESTING - 5, !lazy);
        }
        const field = this.#shared ? this.#injectedField(ks, ke, !lazy) : -1;
        if (field >= 0) {
          stripped = true;
          if (source && field < INJECTED_EXACT) {
            const names = this.#names;
            if (
              b[v] === QUOTE &&
              this.#literalIs(
                v,
                vEnd,
                flags,
                names.values[field] as Uint8Array,
                (this.#view.injectEntries[field] as readonly [string, string])[1],
              )
            )
              this.#injectedSeen |= 1 << field;
            else this.#injectedWrong = true;
          }
        } else {
          if (count++ > 0) out.byte(COMMA);
          out.copy(kStart, kEnd);
          out.byte(COLON);
          out.copy(v, vEnd);
        }
        if (b[vEnd] === COMMA && !isWs(b[vEnd + 1] as number)) {
          i = vEnd + 1;
          continue;
        }
        const next = scan.separator(vEnd, CLOSE_BRACE);
        if (next < 0) {
          end = ~next;
          break;
        }
        i = next;
      }
    }
    scan.release(keys);
    if (stripped) {
      out.byte(CLOSE_BRACE);
      this.#stripped = true;
    } else {
      // No injected member: the object as it came (whitespace and all).
      out.reset(mark);
      out.copy(start, end);
    }
    return end;
  }

  /**
   * The injected field the key `[ks, ke)` names: its index, or (with `subfields`, for
   * one of its multi-fields such as `_tenant.keyword`) its index plus `INJECTED_EXACT`; else -1.
   */
  #injectedField(ks: number, ke: number, subfields: boolean): number {
    const b = this.#b;
    const fields = this.#names.fields;
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f] as Uint8Array;
      const n = field.length;
      if (ke - ks === n) {
        if (bytesAre(b, ks, ke, field)) return f;
      } else if (subfields && ke - ks > n && b[ks + n] === 0x2e && bytesAre(b, ks, ks + n, field)) {
        return f + INJECTED_EXACT;
      }
    }
    return -1;
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

  /**
   * Writes the logical id of the `_id` literal `[v, end)` as the shaper writes it
   * (`emit(jString(id))`); false (nothing to write) when the id is not the view's.
   */
  #writeId(v: number, end: number, flags: number): boolean {
    const out = this.#out;
    const b = this.#b;
    const prefix = this.#names.idPrefix;
    if (prefix !== undefined && (flags & ESCAPED) === 0) {
      // A plain literal: its logical id is what follows the prefix, copied as it is.
      const n = prefix.length;
      if (end - 2 - v < n || !bytesAre(b, v + 1, v + 1 + n, prefix)) return false;
      out.byte(QUOTE);
      out.copy(v + 1 + n, end);
      return true;
    }
    const id = this.#decode(v, end, flags);
    const logical = this.#view.logicalId(id);
    if (logical === undefined) return false;
    if ((flags & ESCAPED) === 0 && id.endsWith(logical)) {
      // The literal held no escape, so neither does its tail: `"<tail>"` is what the shaper writes.
      const bytes = (flags & NON_ASCII) !== 0 ? Buffer.byteLength(logical, 'utf8') : logical.length;
      out.byte(QUOTE);
      out.copy(end - 1 - bytes, end);
    } else {
      out.text(emit(jString(logical)));
    }
    return true;
  }
}

// Fatal: a byte sequence the lossless path's decoder would replace makes it throw.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `bytes` are valid UTF-8 (read only for replies holding non-ASCII bytes). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * The client's bytes of a write result (`shapeWriteResult`, emitted), or undefined when
 * only the lossless shaper can say (the caller takes that path).
 */
export function spliceDocumentReply(body: Uint8Array, view: PartitionView): Uint8Array | undefined {
  try {
    return new Splicer(asBuffer(body), view).document();
  } catch {
    return undefined;
  }
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
