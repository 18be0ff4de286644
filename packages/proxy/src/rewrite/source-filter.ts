// A client's source filtering must still return the injected fields: ownership
// of each upstream document is checked on them (and they are stripped before the
// client sees it), so a filter that left them out would make every own document
// look foreign. Includes gain the fields; excludes that would hide them are dropped.
import { isJsonObject, type JsonObject, type JsonValue } from '@flusso/core';

function matches(pattern: string, field: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(field);
}

const asList = (value: JsonValue | undefined): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === 'string')
      : [];

function withFields(includes: string[], fields: readonly string[]): string[] {
  return includes.length === 0 ? includes : [...includes, ...fields.filter((f) => !includes.includes(f))];
}

function withoutHiding(excludes: string[], fields: readonly string[]): string[] {
  return excludes.filter((pattern) => !fields.some((field) => matches(pattern, field)));
}

/** A body `_source` value that keeps `fields`; `true`, `false` and absent are left as they are. */
export function keepInSource(
  source: JsonValue | undefined,
  fields: readonly string[],
): JsonValue | undefined {
  if (typeof source === 'string' || Array.isArray(source)) return withFields(asList(source), fields);
  if (!isJsonObject(source)) return source;
  const out: JsonObject = { ...source };
  for (const key of ['includes', 'include'] as const) {
    if (source[key] !== undefined) out[key] = withFields(asList(source[key]), fields);
  }
  for (const key of ['excludes', 'exclude'] as const) {
    if (source[key] !== undefined) out[key] = withoutHiding(asList(source[key]), fields);
  }
  return out;
}

/** A comma-separated URL value as its non-empty, trimmed items. */
export const csv = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** URL source parameters (`_source`, `_source_includes`, `_source_excludes`) that keep `fields`. */
export function keepInSourceParams(
  params: Readonly<Record<string, string>>,
  fields: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = { ...params };
  const source = params._source;
  if (source !== undefined && source !== 'true' && source !== 'false') {
    out._source = withFields(csv(source), fields).join(',');
  }
  if (params._source_includes !== undefined) {
    out._source_includes = withFields(csv(params._source_includes), fields).join(',');
  }
  if (params._source_excludes !== undefined) {
    const kept = withoutHiding(csv(params._source_excludes), fields);
    if (kept.length === 0) delete out._source_excludes;
    else out._source_excludes = kept.join(',');
  }
  return out;
}
