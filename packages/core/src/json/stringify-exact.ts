// Serialises ExactJson: RawNumbers are written as their exact text, everything
// else as JSON.stringify would (a non-finite number is null, as there).
import { type ExactJson, RawNumber, withRawCapture } from './exact-json.js';
import { rememberedExactText } from './exact-text.js';

function scalar(value: ExactJson): string | null {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof RawNumber) return value.raw;
  return null;
}

function write(value: ExactJson, out: string[], space: string, depth: string): void {
  const s = scalar(value);
  if (s !== null) {
    out.push(s);
    return;
  }
  const inner = space ? `\n${depth}${space}` : '';
  const entries: [string | null, ExactJson][] = Array.isArray(value)
    ? value.map((v: ExactJson | undefined) => [null, v ?? null])
    : Object.entries(value as Record<string, ExactJson | undefined>).flatMap(([k, v]) =>
        v === undefined ? [] : [[k, v] as [string, ExactJson]],
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  out.push(open);
  entries.forEach(([k, v], i) => {
    out.push(i > 0 ? ',' : '', inner);
    if (k !== null) out.push(JSON.stringify(k), space ? ': ' : ':');
    write(v, out, space, depth + space);
  });
  if (entries.length > 0 && space) out.push(`\n${depth}`);
  out.push(close);
}

// JSON.stringify escapes NUL as \u0000, so a RawNumber's placeholder (NUL and its
// index, see exact-json.ts) prints as "\u0000<i>".
const MARK = '\\u0000';
const MARKED = /"\\u0000(\d+)"/g;

function slow(value: ExactJson, indent: number): string {
  const out: string[] = [];
  write(value, out, ' '.repeat(indent), '');
  return out.join('');
}

/** JSON text of `value`, numbers exact; `indent` spaces pretty-print it like JSON.stringify. */
export function stringifyExact(value: ExactJson, indent = 0): string {
  if (indent === 0 && typeof value === 'object' && value !== null) {
    const known = rememberedExactText(value);
    if (known !== undefined) return known;
  }
  // Fast path: the engine's own JSON.stringify, each RawNumber a placeholder string put
  // back as its raw text. When a string of the value itself holds NUL, the placeholders
  // are not the only \u0000 in the text: the exact writer decides.
  const [text, raws] = withRawCapture(() => JSON.stringify(value, null, indent) as string | undefined);
  if (text === undefined) return slow(value, indent);
  if (raws.length === 0) return text;
  let marks = 0;
  for (let at = text.indexOf(MARK); at !== -1; at = text.indexOf(MARK, at + MARK.length)) marks += 1;
  if (marks !== raws.length) return slow(value, indent);
  return text.replace(MARKED, (_m, i: string) => raws[Number(i)] ?? '');
}
