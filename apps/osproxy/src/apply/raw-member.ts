// The raw text of one member of a JSON object, sliced from the text rather than
// re-serialized: the document a write carries reaches the cluster with its numbers
// exactly as the record spelled them (JSON.parse would round 2^53+ and 0.1e999).

const WS = new Set([' ', '\t', '\n', '\r']);

function skipWs(text: string, at: number): number {
  let i = at;
  while (i < text.length && WS.has(text[i] as string)) i++;
  return i;
}

/** End (exclusive) of the string starting at `at` (a `"`), or -1. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return -1;
}

/** End (exclusive) of the JSON value starting at `at`, or -1 when it does not close. */
function valueEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      i = stringEnd(text, i);
      if (i < 0) return -1;
      if (depth === 0) return i;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === ',' || WS.has(c))) return i;
    i++;
  }
  return depth === 0 ? i : -1;
}

/**
 * The raw text of the top-level member `name` of the JSON object `text`, or
 * `undefined` when the object has no such member or does not scan.
 */
export function rawMember(text: string, name: string): string | undefined {
  let i = skipWs(text, 0);
  if (text[i] !== '{') return undefined;
  i = skipWs(text, i + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') return undefined;
    const start = skipWs(text, i + 1);
    const end = valueEnd(text, start);
    if (end < 0 || end === start) return undefined;
    if (key === name) return text.slice(start, end);
    i = skipWs(text, end);
    if (text[i] !== ',') return undefined;
    i = skipWs(text, i + 1);
  }
  return undefined;
}

/** The raw text of each element of the JSON array `text`, or `undefined` when it does not scan. */
export function rawElements(text: string): string[] | undefined {
  let i = skipWs(text, 0);
  if (text[i] !== '[') return undefined;
  i = skipWs(text, i + 1);
  const elements: string[] = [];
  if (text[i] === ']') return elements;
  while (i < text.length) {
    const end = valueEnd(text, i);
    if (end < 0 || end === i) return undefined;
    elements.push(text.slice(i, end));
    i = skipWs(text, end);
    if (text[i] === ']') return elements;
    if (text[i] !== ',') return undefined;
    i = skipWs(text, i + 1);
  }
  return undefined;
}
