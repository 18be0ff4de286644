// `_source` filtering (includes/excludes with wildcards over dotted paths) on the
// lossless tree of the stored source, so numbers keep their original text.
import { JsonNumber, parseLossless, RawJson } from './json/lossless.js';
import { wildcardRegExp } from './wildcard.js';

type Json = Record<string, unknown>;

export interface SourceSpec {
  readonly fetch: boolean;
  readonly includes: readonly string[];
  readonly excludes: readonly string[];
  /** Whether the request asked about `_source` at all (stored_fields alone turn it off). */
  readonly explicit?: boolean;
}

const list = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v.map(String)
      : String(v)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);

/** The source spec of a body `_source` and the `_source*` URL parameters (URL wins). */
export function sourceSpec(body: unknown, q?: URLSearchParams): SourceSpec {
  let fetch = true;
  let includes: string[] = [];
  let excludes: string[] = [];
  if (body === false || body === 'false') fetch = false;
  else if (body === true || body === 'true') fetch = true;
  else if (typeof body === 'string' || Array.isArray(body)) includes = list(body);
  else if (body && typeof body === 'object') {
    const b = body as Json;
    includes = list(b.includes ?? b.include);
    excludes = list(b.excludes ?? b.exclude);
  }
  const param = q?.get('_source');
  if (param === 'false') fetch = false;
  else if (param === 'true') fetch = true;
  else if (param !== null && param !== undefined && param !== '') includes = list(param);
  if (q?.has('_source_includes')) includes = list(q.get('_source_includes'));
  if (q?.has('_source_excludes')) excludes = list(q.get('_source_excludes'));
  if (includes.length > 0 || excludes.length > 0) fetch = fetch || q?.get('_source') !== 'false';
  const explicit =
    body !== undefined || !!q?.has('_source') || !!q?.has('_source_includes') || !!q?.has('_source_excludes');
  return { fetch, includes, excludes, explicit };
}

const matchesAny = (patterns: readonly string[], path: string) =>
  patterns.some((p) => wildcardRegExp(p).test(path));

function mayContain(patterns: readonly string[], path: string): boolean {
  const prefix = `${path}.`;
  return patterns.some((p) => {
    const literal = p.split('*')[0] as string;
    return (
      p.startsWith(prefix) || (p.includes('*') && (prefix.startsWith(literal) || literal.startsWith(prefix)))
    );
  });
}

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function filterValue(v: unknown, spec: SourceSpec, path: string, included: boolean): unknown {
  if (isObject(v)) {
    const out = filterObject(v, spec, path, included);
    return Object.keys(out).length > 0 || included ? out : undefined;
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => filterValue(x, spec, path, included)).filter((x) => x !== undefined);
    return items.length > 0 || included ? items : undefined;
  }
  return included ? v : undefined;
}

function filterObject(obj: Json, spec: SourceSpec, prefix: string, included: boolean): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (matchesAny(spec.excludes, path)) continue;
    const inc = included || spec.includes.length === 0 || matchesAny(spec.includes, path);
    if (!inc && !(mayContain(spec.includes, path) && (isObject(v) || Array.isArray(v)))) continue;
    const kept = filterValue(v, spec, path, inc);
    if (kept !== undefined)
      Object.defineProperty(out, k, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The `_source` to return: the stored bytes when unfiltered, a filtered lossless tree, or nothing. */
export function filteredSource(raw: string, spec: SourceSpec): RawJson | Json | undefined {
  if (!spec.fetch) return undefined;
  if (spec.includes.length === 0 && spec.excludes.length === 0) return new RawJson(raw);
  return filterObject(parseLossless(raw) as Json, spec, '', false);
}

/** Filters an in-memory (plain) source the same way. */
export function filterPlain(source: Json, spec: SourceSpec): Json | undefined {
  if (!spec.fetch) return undefined;
  if (spec.includes.length === 0 && spec.excludes.length === 0) return source;
  return filterObject(source, spec, '', false);
}
