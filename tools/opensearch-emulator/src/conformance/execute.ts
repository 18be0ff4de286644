// Runs one YAML test: setup, the test's steps and teardown against a base URL,
// then wipes what it created so the next test starts from an empty cluster.
import { type ApiSpec, buildRequest, ParamError } from './api-specs.js';
import {
  AssertionFailed,
  assertContains,
  assertLength,
  assertMatch,
  assertOrder,
  assertTruth,
} from './assertions.js';
import { type HttpResponse, send } from './http-client.js';
import { skipReason } from './skips.js';
import { Stash } from './stash.js';
import type { Step, SuiteFile, YamlTest } from './suite-files.js';

export type Outcome =
  | { kind: 'passed' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string };

export interface RunContext {
  readonly baseUrl: string;
  readonly specs: ReadonlyMap<string, ApiSpec>;
}

const CATCHES: Record<string, (status: number) => boolean> = {
  bad_request: (s) => s === 400,
  unauthorized: (s) => s === 401,
  forbidden: (s) => s === 403,
  missing: (s) => s === 404,
  request_timeout: (s) => s === 408,
  conflict: (s) => s === 409,
  unavailable: (s) => s === 503,
  request: (s) => s >= 400 && ![400, 401, 403, 404, 408, 409].includes(s),
};

const DO_KEYS = new Set([
  'catch',
  'headers',
  'warnings',
  'allowed_warnings',
  'warnings_regex',
  'allowed_warnings_regex',
  'node_selector',
]);

/** Every string in a body, unescaped (Java matches catch regexes against the error's text). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

function checkCatch(expected: string, response: HttpResponse): void {
  const named = CATCHES[expected];
  if (named) {
    if (!named(response.status))
      throw new AssertionFailed(
        `expected catch [${expected}], got ${response.status}: ${response.text.slice(0, 300)}`,
      );
    return;
  }
  // Java's runner matches a catch regex without COMMENTS mode, against the error.
  const re =
    expected.length > 2 && expected.startsWith('/') && expected.endsWith('/')
      ? new RegExp(expected.slice(1, -1), 's')
      : null;
  if (!re) throw new AssertionFailed(`unknown catch [${expected}]`);
  if (response.status < 400 || !(re.test(response.text) || re.test(strings(response.body).join('\n'))))
    throw new AssertionFailed(
      `expected error ${expected}, got ${response.status}: ${response.text.slice(0, 300)}`,
    );
}

async function runDo(ctx: RunContext, stash: Stash, section: Record<string, unknown>): Promise<void> {
  // Java's DoSection keeps the last API named in a `do` (each one replaces the one before).
  const apiName = Object.keys(section)
    .filter((k) => !DO_KEYS.has(k))
    .at(-1);
  if (!apiName) throw new AssertionFailed('do without an api');
  const spec = ctx.specs.get(apiName);
  const expectedCatch = section.catch === undefined ? undefined : String(section.catch);
  if (!spec) throw new AssertionFailed(`no spec for api [${apiName}]`);
  const args = stash.substitute(section[apiName] ?? {}) as Record<string, unknown>;
  const headers = Object.fromEntries(
    Object.entries((stash.substitute(section.headers ?? {}) ?? {}) as Record<string, unknown>).map(
      ([k, v]) => [k.toLowerCase(), String(v)],
    ),
  );
  let request: ReturnType<typeof buildRequest>;
  try {
    request = buildRequest(spec, args, headers);
  } catch (error) {
    if (error instanceof ParamError && expectedCatch === 'param') return;
    throw new AssertionFailed(String(error));
  }
  if (expectedCatch === 'param') throw new AssertionFailed(`expected a parameter error from [${apiName}]`);
  const response = await send(ctx.baseUrl, request);
  stash.body = response.body;
  stash.lastReply = `${request.method} ${request.path}?${request.query} -> ${response.status} ${response.text.slice(0, 300)}`;
  const ignored = [args.ignore].flat().map(Number);
  if (expectedCatch !== undefined) return checkCatch(expectedCatch, response);
  if (
    response.status >= 400 &&
    !(request.method === 'HEAD' && response.status === 404) &&
    !ignored.includes(response.status)
  )
    throw new AssertionFailed(`${apiName} failed ${response.status}: ${response.text.slice(0, 400)}`);
}

function single(step: Step, key: string): [string, unknown] {
  const spec = step[key];
  if (typeof spec === 'string') return [spec, undefined];
  const [entry] = Object.entries((spec ?? {}) as Record<string, unknown>);
  if (!entry) throw new AssertionFailed(`empty ${key}`);
  return entry;
}

async function runStep(ctx: RunContext, stash: Stash, step: Step): Promise<void> {
  const [kind] = Object.keys(step);
  const at = (key: string) => {
    const [path, expected] = single(step, key);
    return { path, actual: stash.evaluate(path), expected: stash.substitute(expected) };
  };
  switch (kind) {
    case 'do':
      return runDo(ctx, stash, step.do as Record<string, unknown>);
    case 'set':
      for (const [path, name] of Object.entries(step.set as Record<string, unknown>))
        stash.set(String(name), stash.evaluate(path));
      return;
    case 'match': {
      const { path, actual, expected } = at('match');
      return assertMatch(path, expected, actual);
    }
    case 'length': {
      const { path, actual, expected } = at('length');
      return assertLength(path, expected, actual);
    }
    case 'is_true':
    case 'is_false': {
      const path = String(step[kind] ?? '');
      return assertTruth(path, kind === 'is_true', stash.evaluate(path));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const { path, actual, expected } = at(kind);
      return assertOrder(kind, path, expected, actual);
    }
    case 'contains': {
      const { path, actual, expected } = at('contains');
      return assertContains(path, expected, actual);
    }
    case 'skip':
      return;
    default:
      throw new AssertionFailed(`unsupported step [${kind}]`);
  }
}

function firstSkip(steps: Step[]): string | null {
  for (const step of steps) {
    if (!('skip' in step)) continue;
    const reason = skipReason(step.skip as Record<string, unknown>);
    if (reason) return reason;
  }
  return null;
}

async function resetClusterSettings(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/_cluster/settings?flat_settings=true`);
  const current = (await res.json()) as Record<string, Record<string, unknown>>;
  const reset = (scope: string) =>
    Object.fromEntries(Object.keys(current[scope] ?? {}).map((k) => [k, null]));
  const body = JSON.stringify({ persistent: reset('persistent'), transient: reset('transient') });
  await fetch(`${baseUrl}/_cluster/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body,
  }).then((r) => r.arrayBuffer());
}

async function wipe(baseUrl: string): Promise<void> {
  await resetClusterSettings(baseUrl);
  const calls: [string, string][] = [
    ['DELETE', '/_search/scroll/_all'],
    ['DELETE', '/*?expand_wildcards=open,closed,hidden'],
    ['DELETE', '/_index_template/*'],
    ['DELETE', '/_ingest/pipeline/*'],
  ];
  for (const [method, path] of calls)
    await fetch(`${baseUrl}${path}`, { method }).then((r) => r.arrayBuffer());
}

/** Runs one test of `file` with its setup and teardown; never throws. */
export async function runTest(ctx: RunContext, file: SuiteFile, test: YamlTest): Promise<Outcome> {
  const skip = firstSkip(file.setup) ?? firstSkip(test.steps);
  if (skip) return { kind: 'skipped', reason: skip };
  const stash = new Stash();
  let outcome: Outcome = { kind: 'passed' };
  try {
    for (const step of [...file.setup, ...test.steps]) await runStep(ctx, stash, step);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    outcome = { kind: 'failed', reason: `${why}\n  last reply: ${stash.lastReply}` };
  }
  try {
    for (const step of file.teardown) await runStep(ctx, stash, step);
  } catch {
    // A failing teardown does not hide the test's own outcome.
  }
  await wipe(ctx.baseUrl);
  return outcome;
}
