// Prints a benchmark's figures as an aligned table and writes them to
// tools/bench/results/<name>.json for comparing runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** A figure and how to print it: `[label, value, unit]`; unit '' is a ratio. */
export type Line = readonly [label: string, value: number | null, unit: string];

/** 52 000 */
export const grouped = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

function fmt(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  if (unit === '') return value.toFixed(2);
  if (unit === 's' || unit === 'MiB') return `${value.toFixed(1)} ${unit}`;
  return `${grouped(value)} ${unit}`;
}

export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function report(name: string, sizes: Record<string, number>, lines: readonly Line[]): void {
  const width = Math.max(...lines.map(([label]) => label.length));
  const title = Object.entries(sizes)
    .map(([k, v]) => `${k} ${grouped(v)}`)
    .join(', ');
  console.log(`\n${name} (${title})`);
  for (const [label, value, unit] of lines) console.log(`  ${label.padEnd(width)}  ${fmt(value, unit)}`);
  mkdirSync(resultsDir, { recursive: true });
  const figures = Object.fromEntries(lines.map(([label, value, unit]) => [label, { value, unit }]));
  const json = { name, at: new Date().toISOString(), sizes, figures };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
}
