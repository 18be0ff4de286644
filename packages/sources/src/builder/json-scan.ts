// Scanning helpers of the text shaper (shape-text.ts): where a JSON token or value
// ends in Postgres's document text, found by hand so nothing is allocated.

/** Thrown inside the walk when the text is not what a plan expects; caught per field. */
export class Unexpected {}
export const UNEXPECTED = new Unexpected();

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** What may follow a number or a literal: `,`, `}`, `]` or whitespace. */
function delimits(c: number): boolean {
  return c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c);
}

/** After the run of digits at `i` (at least one; `nonZeroFirst`: not starting with 0). */
function digits(t: string, i: number, nonZeroFirst: boolean): number {
  const first = t.charCodeAt(i);
  if (first < (nonZeroFirst ? 0x31 : 0x30) || first > 0x39) throw UNEXPECTED;
  let j = i + 1;
  for (let c = t.charCodeAt(j); c >= 0x30 && c <= 0x39; c = t.charCodeAt(j)) j += 1;
  return j;
}

/** The end of the JSON number at `pos` (read by hand: a regex match would allocate). */
export function numberEnd(t: string, pos: number): number {
  let i = pos;
  if (t.charCodeAt(i) === 0x2d) i += 1;
  if (t.charCodeAt(i) === 0x30) i += 1;
  else i = digits(t, i, true);
  if (t.charCodeAt(i) === 0x2e) i = digits(t, i + 1, false);
  const e = t.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i += 1;
    const sign = t.charCodeAt(i);
    i = digits(t, sign === 0x2b || sign === 0x2d ? i + 1 : i, false);
  }
  // A number runs up to a delimiter: `01` or `1.5.2` is not one token.
  if (!delimits(t.charCodeAt(i))) throw UNEXPECTED;
  return i;
}

/** After the closing quote of the string that opens at `at`. */
export function stringEnd(text: string, at: number): number {
  for (let q = text.indexOf('"', at + 1); q !== -1; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return q + 1;
  }
  throw UNEXPECTED;
}

/** Where the value at `pos` ends (strings and nesting skipped whole); the reader validates it after. */
export function valueEnd(text: string, pos: number): number {
  let depth = 0;
  let i = pos;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (depth === 0) return i;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      i += 1;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth -= 1;
      i += 1;
      if (depth === 0) return i;
    } else if (depth === 0 && delimits(c)) return i;
    else i += 1;
  }
  return i;
}
