// The expected-failures list: `<file> :: <test name> :: <why>` per line, `#` comments.
import { existsSync, readFileSync } from 'node:fs';

export interface Expectation {
  readonly file: string;
  readonly test: string;
  readonly why: string;
}

export function testKey(file: string, test: string): string {
  return `${file} :: ${test}`;
}

export function loadExpectations(path: string): Map<string, Expectation> {
  const out = new Map<string, Expectation>();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [file = '', test = '', ...why] = t.split(' :: ');
    out.set(testKey(file, test), { file, test, why: why.join(' :: ') });
  }
  return out;
}
