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

/**
 * SnakeYAML (which OpenSearch's runner reads these files with) does not check indentation
 * inside flow context: a flow map, or a multi-line quoted scalar, opened on a block line may
 * continue on lines indented no deeper than that block (`- match: { reason: "...\n  more" }`,
 * or a closing `}` under its key). YAML 1.2, and so the `yaml` package, refuses such lines. This
 * re-indents only those continuation lines, one column deeper than the block content of the
 * line the flow opened on. Inside flow context leading whitespace carries no meaning (quoted
 * and plain scalars fold a line break and the next line's indentation into one space), so the
 * value read is the one SnakeYAML reads. Block scalars (`|`, `>`) are passed over untouched.
 */
export function indentFlowContinuations(text: string): string {
  const lines = text.split('\n');
  let depth = 0; // open flow collections
  let quote: '"' | "'" | null = null; // open quoted scalar
  let minIndent = 0; // continuation lines must be indented at least this much
  let blockScalarIndent = -1; // >= 0 while skipping a block scalar's lines
  const indentOf = (line: string) => line.length - line.trimStart().length;
  return lines
    .map((line) => {
      if (blockScalarIndent >= 0) {
        if (line.trim() === '' || indentOf(line) > blockScalarIndent) return line;
        blockScalarIndent = -1;
      }
      let out = line;
      const continuing = depth > 0 || quote !== null;
      if (continuing && line.trim() !== '' && indentOf(line) < minIndent)
        out = ' '.repeat(minIndent) + line.trimStart();
      if (!continuing) {
        // where this line's block content starts: past its indentation and `- ` entries
        const content = /^(?:\s*-(?=\s))*\s*/.exec(line)?.[0].length ?? 0;
        minIndent = content + 1;
      }
      let prev = ''; // last non-space character outside scalars ('' at line start)
      for (let i = 0; i < line.length; i++) {
        const c = line[i] as string;
        if (quote === '"') {
          if (c === '\\') i++;
          else if (c === '"') [quote, prev] = [null, c];
          continue;
        }
        if (quote === "'") {
          if (c === "'") [quote, prev] = [null, c];
          continue;
        }
        if (c === '#' && (i === 0 || /\s/.test(line[i - 1] as string))) break;
        if (/\s/.test(c)) continue;
        const atScalarStart = prev === '' || ':-?,[{'.includes(prev);
        if ((c === '"' || c === "'") && atScalarStart) quote = c;
        else if ((c === '{' || c === '[') && (depth > 0 || atScalarStart)) depth++;
        else if ((c === '}' || c === ']') && depth > 0) depth--;
        prev = c;
      }
      if (depth === 0 && quote === null && /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/.test(line))
        blockScalarIndent = indentOf(line);
      return out;
    })
    .join('\n');
}

function parseDocuments(text: string) {
  const options = { intAsBigInt: true, uniqueKeys: false } as const;
  const docs = parseAllDocuments(text, options);
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.every((doc) => doc.errors.length === 0)) return list;
  // Only a file YAML 1.2 refuses is re-read with SnakeYAML's leniency (see above).
  const lenient = parseAllDocuments(indentFlowContinuations(text), options);
  const lenientList = Array.isArray(lenient) ? lenient : [lenient];
  return lenientList.every((doc) => doc.errors.length === 0) ? lenientList : list;
}

export function parseSuiteFile(path: string, text: string): SuiteFile {
  const docs = parseDocuments(text);
  const setup: Step[] = [];
  const teardown: Step[] = [];
  const tests: YamlTest[] = [];
  for (const doc of docs) {
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
