// The YAML assertions (match, length, is_true/is_false, gt/gte/lt/lte, contains)
// with exact numbers: integers beyond 2^53 arrive as bigint on both sides.

export class AssertionFailed extends Error {}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === typeof b) return a === b;
  const [n, big] = (typeof a === 'number' ? [a, b] : [b, a]) as [number, bigint];
  // A double beyond 2^53 (e.g. `2.555843009213695E18` in a test) compares as a double.
  if (!Number.isSafeInteger(n)) return Number(big) === n;
  return BigInt(n) === big;
}

export function deepEqual(expected: unknown, actual: unknown): boolean {
  if (isNumeric(expected) && isNumeric(actual)) return numbersEqual(expected, actual);
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((v, i) => deepEqual(v, actual[i]))
    );
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
  const e = Object.entries(expected);
  const a = actual as Record<string, unknown>;
  return e.length === Object.keys(a).length && e.every(([k, v]) => Object.hasOwn(a, k) && deepEqual(v, a[k]));
}

/** Java's `Pattern.COMMENTS`: unescaped whitespace and `#` comments are ignored outside classes. */
export function commentsRegExp(source: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (/\s/.test(c)) {
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else out += c;
  }
  return new RegExp(out, 's');
}

export function regexLiteral(value: unknown): RegExp | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (t.length < 2 || !t.startsWith('/') || !t.endsWith('/')) return null;
  return commentsRegExp(t.slice(1, -1));
}

function show(v: unknown): string {
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
}

export function assertMatch(path: string, expected: unknown, actual: unknown): void {
  const re = regexLiteral(expected);
  if (re) {
    const text = typeof actual === 'string' ? actual : show(actual);
    // Java's `$` also matches before one final line terminator.
    if (actual === undefined || !(re.test(text) || re.test(text.replace(/\r?\n$/, ''))))
      throw new AssertionFailed(`match ${path}: ${show(actual)} does not match ${String(expected)}`);
    return;
  }
  if (!deepEqual(expected, actual))
    throw new AssertionFailed(`match ${path}: expected ${show(expected)}, got ${show(actual)}`);
}

export function assertLength(path: string, expected: unknown, actual: unknown): void {
  const n = Array.isArray(actual)
    ? actual.length
    : typeof actual === 'string'
      ? actual.length
      : actual && typeof actual === 'object'
        ? Object.keys(actual).length
        : undefined;
  // As in OpenSearch's runner, a length written as a string is read as an integer.
  const want = typeof expected === 'string' && /^\d+$/.test(expected) ? Number(expected) : expected;
  if (n === undefined || !deepEqual(want, n))
    throw new AssertionFailed(
      `length ${path}: expected ${show(expected)}, got ${show(n)} of ${show(actual)}`,
    );
}

export function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === '' || v === 'false' || v === 0 || v === '0');
}

export function assertTruth(path: string, wanted: boolean, actual: unknown): void {
  if (truthy(actual) !== wanted)
    throw new AssertionFailed(`${wanted ? 'is_true' : 'is_false'} ${path}: got ${show(actual)}`);
}

function toComparable(v: unknown): number | bigint | string | undefined {
  if (isNumeric(v)) return v;
  if (typeof v === 'string') return v;
  return undefined;
}

export function assertOrder(
  op: 'gt' | 'gte' | 'lt' | 'lte',
  path: string,
  expected: unknown,
  actual: unknown,
): void {
  const a = toComparable(actual);
  const e = toComparable(expected);
  const ok =
    a !== undefined && e !== undefined && typeof a === typeof e
      ? op === 'gt'
        ? a > e
        : op === 'gte'
          ? a >= e
          : op === 'lt'
            ? a < e
            : a <= e
      : isNumeric(a) && isNumeric(e)
        ? compareMixed(op, a, e)
        : false;
  if (!ok) throw new AssertionFailed(`${op} ${path}: ${show(actual)} vs ${show(expected)}`);
}

function compareMixed(op: string, a: number | bigint, e: number | bigint): boolean {
  const x = Number(a);
  const y = Number(e);
  return op === 'gt' ? x > y : op === 'gte' ? x >= y : op === 'lt' ? x < y : x <= y;
}

export function assertContains(path: string, expected: unknown, actual: unknown): void {
  if (!Array.isArray(actual) || !actual.some((v) => deepEqual(expected, v)))
    throw new AssertionFailed(`contains ${path}: ${show(expected)} not in ${show(actual)}`);
}
