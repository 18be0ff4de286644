// Reads OpenSearch REST YAML test files: each file is a stream of YAML documents,
// one `setup`, one `teardown` and any number of named tests, each a list of steps.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Step = Record<string, unknown>;

export interface YamlTest {
  readonly name: string;
  readonly steps: Step[];
}

export interface SuiteFile {
  /** Path under `test/`, e.g. `get/10_basic.yml`. */
  readonly path: string;
  readonly setup: Step[];
  readonly teardown: Step[];
  readonly tests: YamlTest[];
  /** Set when the file is not valid YAML: its tests cannot run. */
  readonly error?: string;
}

/** Integers beyond 2^53 stay bigint so comparisons do not round; the rest are numbers. */
function narrow(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  if (Array.isArray(value)) return value.map(narrow);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, narrow(v)]));
  return value;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return listFiles(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}

export function parseSuiteFile(path: string, text: string): SuiteFile {
  const docs = parseAllDocuments(text, { intAsBigInt: true, uniqueKeys: false });
  const setup: Step[] = [];
  const teardown: Step[] = [];
  const tests: YamlTest[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0)
      return { path, setup, teardown, tests, error: doc.errors[0]?.message ?? 'bad YAML' };
    const value = narrow(doc.toJS({ maxAliasCount: -1 })) as Record<string, Step[]> | null;
    if (!value) continue;
    for (const [name, steps] of Object.entries(value)) {
      if (name === 'setup') setup.push(...(steps ?? []));
      else if (name === 'teardown') teardown.push(...(steps ?? []));
      else tests.push({ name, steps: steps ?? [] });
    }
  }
  return { path, setup, teardown, tests };
}

/** Every test file under `<root>/test`, sorted by path. */
export function loadSuite(root: string): SuiteFile[] {
  const testDir = join(root, 'test');
  return listFiles(testDir).map((file) => {
    const path = relative(testDir, file);
    try {
      return parseSuiteFile(path, readFileSync(file, 'utf8'));
    } catch (error) {
      return { path, setup: [], teardown: [], tests: [], error: String(error) };
    }
  });
}
