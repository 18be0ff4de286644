// Turns zod issues into messages a user can act on: what is required and which
// values it takes (`index[0].enabled: required; true or false`), never zod's
// `expected boolean, received undefined`. Shared by flusso.toml and flusso.lock.
import type { z } from 'zod';

export type IssuePath = readonly (string | number)[];

/** One issue, as a key path and a message saying what the key takes. */
export interface DescribedIssue {
  readonly path: IssuePath;
  readonly message: string;
}

/** How the file's syntax names an object: a TOML table, a JSON object. */
export type FileSyntax = 'toml' | 'json';

type Issue = z.core.$ZodIssue;

const typeNames: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  array: 'a list',
  null: 'null',
  record: 'a table',
};

function expectedValues(expected: string, syntax: FileSyntax): string {
  if (expected === 'object' || expected === 'record') return syntax === 'toml' ? 'a table' : 'an object';
  return typeNames[expected] ?? expected;
}

function quoteAll(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v)));
  return shown.length === 1 ? (shown[0] ?? '') : `one of ${shown.join(', ')}`;
}

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a table';
  if (typeof input === 'number') return Number.isInteger(input) ? 'an integer' : 'a number';
  if (typeof input === 'boolean') return input ? 'true' : 'false';
  return `a ${typeof input}`;
}

/** `required; X` for a missing key, `must be X (got Y)` for a wrong one. */
function wants(input: unknown, values: string, missing: boolean): string {
  return missing ? `required; ${values}` : `must be ${values} (got ${received(input)})`;
}

function bound(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  const op = issue.inclusive === false ? (small ? '>' : '<') : small ? '≥' : '≤';
  if (issue.origin === 'string') return `must be ${small ? 'at least' : 'at most'} ${limit} characters`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `must have ${small ? 'at least' : 'at most'} ${limit} items`;
  return `must be ${op} ${limit}`;
}

function rootUnknown(branch: readonly Issue[]): boolean {
  return branch.some((i) => i.path.length === 0 && i.code === 'unrecognized_keys');
}

function rootType(branch: readonly Issue[]): Issue | undefined {
  return branch.find((i) => i.path.length === 0 && i.code === 'invalid_type');
}

// A union says what it takes through its own `error` message (config-schema.ts);
// without one, the expected types of its branches are listed.
function describeUnion(issue: Issue & { code: 'invalid_union' }, syntax: FileSyntax): DescribedIssue[] {
  const path = issue.path as IssuePath;
  const missing = issue.input === undefined;
  const options = 'options' in issue ? issue.options : undefined;
  if (issue.discriminator !== undefined && options) {
    const input = issue.input;
    const tag =
      typeof input === 'object' && input !== null && typeof issue.discriminator === 'string'
        ? (input as Record<string, unknown>)[issue.discriminator]
        : input;
    return [{ path, message: wants(tag, quoteAll(options), tag === undefined) }];
  }
  const branches = issue.errors;
  // One branch has the right shape and failed inside it: report that branch's issues.
  const shaped = branches.filter((b) => !rootType(b) && !rootUnknown(b));
  const only = shaped.length === 1 ? shaped[0] : undefined;
  if (!missing && only)
    return only.flatMap((inner) =>
      describeIssue(inner, syntax).map((d) => ({ path: [...path, ...d.path], message: d.message })),
    );
  if (issue.message !== 'Invalid input')
    return [{ path, message: wants(issue.input, issue.message, missing) }];
  const alternatives = branches.map((b) => {
    const root = rootType(b);
    return root?.code === 'invalid_type'
      ? expectedValues(root.expected, syntax)
      : expectedValues('object', syntax);
  });
  return [{ path, message: wants(issue.input, [...new Set(alternatives)].join(' or '), missing) }];
}

/** Describe one zod issue (a union can expand to its matching branch's issues). */
export function describeIssue(issue: Issue, syntax: FileSyntax = 'toml'): DescribedIssue[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const missing = issue.input === undefined;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"` }));
    case 'invalid_type':
      return [{ path, message: wants(issue.input, expectedValues(issue.expected, syntax), missing) }];
    case 'invalid_value':
      return [{ path, message: wants(issue.input, quoteAll(issue.values), missing) }];
    case 'invalid_union':
      return describeUnion(issue, syntax);
    case 'too_small':
    case 'too_big':
      return [{ path, message: bound(issue) }];
    case 'invalid_format':
      return [
        {
          path,
          message: issue.message.startsWith('Invalid')
            ? `must match ${issue.pattern ?? issue.format}`
            : issue.message,
        },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

/** `index[0].enabled` from ['index', 0, 'enabled']. */
export function formatKeyPath(path: IssuePath): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replaceAll('.[', '[');
}

/** Every issue of a failed parse, described, in order. */
export function describeIssues(error: z.ZodError, syntax: FileSyntax = 'toml'): DescribedIssue[] {
  return error.issues.flatMap((issue) => describeIssue(issue, syntax));
}
