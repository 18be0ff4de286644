// Turns a `do` action into an HTTP request using the REST API specs (api/*.json):
// the path with the most parts the arguments fill, its method, query params and body.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyLossless } from '../json/lossless.js';

interface SpecPath {
  readonly path: string;
  readonly methods: string[];
  readonly parts: string[];
}

export interface ApiSpec {
  readonly name: string;
  readonly paths: SpecPath[];
  readonly params: Set<string>;
  readonly ndjson: boolean;
  readonly bodyRequired?: boolean;
}

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body?: string;
  readonly headers: Record<string, string>;
}

/** A parameter the spec does not know, as the Java runner raises for `catch: param`. */
export class ParamError extends Error {}

const GLOBAL_PARAMS = new Set(['error_trace', 'filter_path', 'human', 'pretty', 'source', 'ignore']);

/** Specs the published subset leaves out (its README lists them). */
const BUILT_IN: Record<string, { paths: SpecPath[]; params?: string[] }> = {
  info: { paths: [{ path: '/', methods: ['GET'], parts: [] }] },
  ping: { paths: [{ path: '/', methods: ['HEAD'], parts: [] }] },
  'indices.refresh': {
    paths: [
      { path: '/_refresh', methods: ['POST', 'GET'], parts: [] },
      { path: '/{index}/_refresh', methods: ['POST', 'GET'], parts: ['index'] },
    ],
    params: ['ignore_unavailable', 'allow_no_indices', 'expand_wildcards'],
  },
  'indices.flush': {
    paths: [
      { path: '/_flush', methods: ['POST', 'GET'], parts: [] },
      { path: '/{index}/_flush', methods: ['POST', 'GET'], parts: ['index'] },
    ],
    params: ['force', 'wait_if_ongoing', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards'],
  },
};

interface RawSpec {
  url: { paths: { path: string; methods: string[]; parts?: Record<string, unknown> }[] };
  params?: Record<string, unknown>;
  body?: { serialize?: string; required?: boolean };
}

export function loadSpecs(root: string): Map<string, ApiSpec> {
  const specs = new Map<string, ApiSpec>();
  for (const [name, b] of Object.entries(BUILT_IN))
    specs.set(name, { name, paths: b.paths, params: new Set(b.params ?? []), ndjson: false });
  for (const file of readdirSync(join(root, 'api')).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(root, 'api', file), 'utf8')) as Record<string, RawSpec>;
    for (const [name, raw] of Object.entries(json)) {
      specs.set(name, {
        name,
        paths: raw.url.paths.map((p) => ({
          path: p.path,
          methods: p.methods,
          parts: Object.keys(p.parts ?? {}),
        })),
        params: new Set(Object.keys(raw.params ?? {})),
        ndjson: raw.body?.serialize === 'bulk',
        bodyRequired: raw.body?.required === true,
      });
    }
  }
  return specs;
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(',');
  return String(value);
}

function encodePart(value: unknown): string {
  return encodeURIComponent(text(value)).replaceAll('%2C', ',');
}

function serialiseBody(spec: ApiSpec, body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (spec.ndjson && Array.isArray(body))
    return `${body.map((line) => (typeof line === 'string' ? line : stringifyLossless(line))).join('\n')}\n`;
  return stringifyLossless(body);
}

function pickMethod(methods: string[], hasBody: boolean): string {
  if (hasBody) {
    for (const m of ['PUT', 'POST']) if (methods.includes(m)) return m;
  }
  for (const m of ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']) if (methods.includes(m)) return m;
  return methods[0] ?? 'GET';
}

/** The HTTP request for `api` called with `args` (already stash-substituted). */
export function buildRequest(
  spec: ApiSpec,
  args: Record<string, unknown>,
  headers: Record<string, string>,
): HttpRequest {
  const empty = (v: unknown) => v === null || (Array.isArray(v) && v.length === 0);
  const given = new Set(Object.keys(args).filter((k) => k !== 'body' && !empty(args[k])));
  const candidates = spec.paths
    .filter((p) => p.parts.every((part) => given.has(part)))
    .sort((a, b) => b.parts.length - a.parts.length);
  const chosen = candidates[0];
  if (!chosen) throw new ParamError(`no path of [${spec.name}] takes [${[...given].join(',')}]`);
  if (spec.bodyRequired && args.body === undefined) throw new ParamError(`[${spec.name}] requires a body`);
  const query = new URLSearchParams();
  for (const key of given) {
    if (chosen.parts.includes(key)) continue;
    if (!spec.params.has(key) && !GLOBAL_PARAMS.has(key))
      throw new ParamError(`[${spec.name}] does not support parameter [${key}]`);
    if (key !== 'ignore') query.set(key, text(args[key]));
  }
  let path = chosen.path;
  for (const part of chosen.parts) path = path.replace(`{${part}}`, encodePart(args[part]));
  const body = serialiseBody(spec, args.body);
  const contentType = spec.ndjson ? 'application/x-ndjson' : 'application/json';
  return {
    method: pickMethod(chosen.methods, body !== undefined),
    path,
    query,
    ...(body === undefined ? {} : { body }),
    headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
  };
}
