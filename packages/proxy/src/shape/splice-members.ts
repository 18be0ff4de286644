// The members the reply splicer has read of one hit (or of a hit's sub-objects),
// kept in flat arrays the splicer reuses hit after hit. An object per member
// was most of what a spliced reply allocated (and so of the server's young-GC
// work): these arrays are allocated once per reply and only overwritten.

/** Where an object's members sit in a `MemberStore`: `first` up to (not including) `last`. */
export interface MemberRange {
  /** The object's text: `start` is its `{`, `end` is past its `}`. */
  readonly start: number;
  readonly end: number;
  readonly first: number;
  readonly last: number;
}

export class MemberStore {
  /** Each member's key (already decoded: keys with escapes are never stored). */
  readonly keys: string[] = [];
  /** Four offsets a member: key start, key end (past its quote), value start, value end. */
  readonly at: number[] = [];
  size = 0;

  /** Forget every member (the arrays keep their room). */
  clear(): void {
    this.size = 0;
  }

  add(key: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const n = this.size;
    const o = n * 4;
    this.keys[n] = key;
    this.at[o] = keyStart;
    this.at[o + 1] = keyEnd;
    this.at[o + 2] = valueStart;
    this.at[o + 3] = valueEnd;
    this.size = n + 1;
  }

  /** The first member from `first` up to (not including) `last` named `key`, else -1. */
  find(key: string, first: number, last = this.size): number {
    for (let m = first; m < last; m++) if (this.keys[m] === key) return m;
    return -1;
  }

  key(m: number): string {
    return this.keys[m] as string;
  }

  keyStart(m: number): number {
    return this.at[m * 4] as number;
  }

  keyEnd(m: number): number {
    return this.at[m * 4 + 1] as number;
  }

  valueStart(m: number): number {
    return this.at[m * 4 + 2] as number;
  }

  valueEnd(m: number): number {
    return this.at[m * 4 + 3] as number;
  }
}
