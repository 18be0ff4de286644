// URL parameters that change what a search answers are not forwarded (anything
// in the URL sits outside the partition filter), and dropping them would quietly
// answer a different question. Source filtering, sort and the like move into the body,
// where the filter wraps them; a URL query (`q` and its options) is refused with
// a pointer to the body query instead.
import type { JsonObject, JsonValue } from '@flusso/core';
import { fromPlain, jObject, withMember } from '../json/build.js';
import type { JObject } from '../json/node.js';
import { ProxyError } from '../request/proxy-error.js';
import { csv } from './source-filter.js';

// Flags a search body takes as booleans.
const FLAGS = ['explain', 'version', 'seq_no_primary_term', 'track_scores'];

const URL_QUERY = ['q', 'df', 'analyzer', 'analyze_wildcard', 'default_operator', 'lenient'];

function sortOf(value: string): JsonValue[] {
  return csv(value).map((entry) => {
    const [field = '', order] = entry.split(':');
    return order === undefined ? field : { [field]: { order } };
  });
}

function sourceOf(query: Readonly<Record<string, string>>): JsonValue | undefined {
  const { _source: source, _source_includes: includes, _source_excludes: excludes } = query;
  if (includes !== undefined || excludes !== undefined) {
    return {
      ...(includes === undefined ? {} : { includes: csv(includes) }),
      ...(excludes === undefined ? {} : { excludes: csv(excludes) }),
    };
  }
  if (source === undefined) return undefined;
  if (source === 'true' || source === 'false') return source === 'true';
  return csv(source);
}

/** The search body with the URL's result-shaping parameters moved in (the URL wins, as in OpenSearch). */
export function withUrlSearchParams(
  query: Readonly<Record<string, string>>,
  body: JObject | null,
  searchOnly: boolean,
): JObject | null {
  let param: string | undefined;
  for (const key of URL_QUERY) if (query[key] !== undefined) param ??= key;
  if (param !== undefined) {
    throw new ProxyError(
      'malformed_request',
      'a URL query is not supported behind the proxy; send a body query',
      {
        context: { param },
      },
    );
  }
  const moved: JsonObject = {};
  const terminateAfter = Number(query.terminate_after);
  if (query.terminate_after !== undefined && Number.isSafeInteger(terminateAfter)) {
    moved.terminate_after = terminateAfter;
  }
  if (!searchOnly) return merged(body, moved);
  for (const flag of FLAGS) if (query[flag] !== undefined) moved[flag] = query[flag] !== 'false';
  const source = sourceOf(query);
  if (source !== undefined) moved._source = source;
  if (query.sort !== undefined) moved.sort = sortOf(query.sort);
  if (query.stored_fields !== undefined) moved.stored_fields = csv(query.stored_fields);
  if (query.docvalue_fields !== undefined) moved.docvalue_fields = csv(query.docvalue_fields);
  return merged(body, moved);
}

function merged(body: JObject | null, moved: JsonObject): JObject | null {
  let out = body;
  for (const key of Object.keys(moved))
    out = withMember(out ?? jObject([]), key, fromPlain(moved[key] as JsonValue));
  return out;
}

/**
 * `_count` takes `terminate_after` and `min_score` as URL parameters only (its body
 * holds `query` and nothing else): they are forwarded as given when they are numbers.
 * Both only narrow what is counted. The rest of the URL is `withUrlSearchParams`'s.
 */
export function countUrlParams(query: Readonly<Record<string, string>>): {
  readonly forwarded: Record<string, string>;
  readonly rest: Record<string, string>;
} {
  const forwarded: Record<string, string> = {};
  const rest: Record<string, string> = { ...query };
  const { terminate_after: terminateAfter, min_score: minScore } = query;
  if (terminateAfter !== undefined && /^\d{1,18}$/.test(terminateAfter))
    forwarded.terminate_after = terminateAfter;
  if (minScore !== undefined && /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(minScore))
    forwarded.min_score = minScore;
  delete rest.terminate_after;
  delete rest.min_score;
  return { forwarded, rest };
}
