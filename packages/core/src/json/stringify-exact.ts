// Serialises ExactJson: RawNumbers are written as their exact text, everything
// else as JSON.stringify would (a non-finite number is null, as there).
import { type ExactJson, RawNumber } from './exact-json.js';

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

/** JSON text of `value`, numbers exact; `indent` spaces pretty-print it like JSON.stringify. */
export function stringifyExact(value: ExactJson, indent = 0): string {
  const out: string[] = [];
  write(value, out, ' '.repeat(indent), '');
  return out.join('');
}
