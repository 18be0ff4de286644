// A search request read and checked as OpenSearch does: body and URL parameters,
// from/size bounds, unknown top-level keys, track_total_hits.
import { OsError, validationFailed } from './errors.js';

type Json = Record<string, unknown>;

const BODY_KEYS = new Set([
  'query',
  'from',
  'size',
  'sort',
  '_source',
  'aggs',
  'aggregations',
  'pit',
  'search_after',
  'track_total_hits',
  'docvalue_fields',
  'stored_fields',
  'version',
  'seq_no_primary_term',
  'explain',
  'track_scores',
  'timeout',
  'terminate_after',
  'min_score',
  'post_filter',
  'highlight',
  'suggest',
  'collapse',
  'script_fields',
  'fields',
  'indices_boost',
  'rescore',
  'profile',
  'stats',
  'ext',
  'slice',
  'search_pipeline',
  'derived',
  'verbose_pipeline',
  'include_named_queries_score',
]);

export interface SearchRequest {
  readonly body: Json;
  readonly from: number;
  readonly size: number;
  readonly trackTotalHits: boolean | number;
  readonly totalAsInt: boolean;
}

function integer(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new OsError(400, 'parsing_exception', `[${name}] failed to parse field [${name}]`);
  return n;
}

/**
 * `track_total_hits` as `SearchSourceBuilder` reads it: absent counts up to 10 000, `true`
 * counts exactly (`TRACK_TOTAL_HITS_ACCURATE`), `false` and `-1` (`TRACK_TOTAL_HITS_DISABLED`)
 * not at all, a number up to that many.
 */
function trackTotal(raw: unknown): boolean | number {
  if (raw === undefined || raw === null) return 10_000;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -1)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[track_total_hits] parameter must be positive or equals to -1, got ${String(raw)}`,
    );
  return n === -1 ? false : n >= 2 ** 31 - 1 ? true : n;
}

function csv(v: string | null): string[] {
  return v === null ? [] : v.split(',').filter(Boolean);
}

/** URL parameters that stand for body fields (`sort=f:desc`, `docvalue_fields`, `version`...). */
function withUrlParams(body: Json, q: URLSearchParams): Json {
  const out: Json = { ...body };
  if (q.has('sort'))
    out.sort = csv(q.get('sort')).map((s) => {
      const [field, order] = s.split(':');
      return order === undefined ? field : { [field as string]: order };
    });
  if (q.has('docvalue_fields')) out.docvalue_fields = csv(q.get('docvalue_fields'));
  if (q.has('stored_fields')) out.stored_fields = csv(q.get('stored_fields'));
  for (const flag of ['version', 'seq_no_primary_term']) if (q.has(flag)) out[flag] = q.get(flag) !== 'false';
  if (q.has('q')) out.query = { query_string: { query: q.get('q') } };
  return out;
}

export function searchRequest(raw: Json, q: URLSearchParams): SearchRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new OsError(400, 'parsing_exception', 'Unexpected token, expected START_OBJECT');
  for (const key of Object.keys(raw))
    if (!BODY_KEYS.has(key))
      throw new OsError(400, 'parsing_exception', `Unknown key for a START_OBJECT in [${key}].`);
  const body = withUrlParams(raw, q);
  const from = integer('from', q.get('from') ?? body.from) ?? 0;
  const size = integer('size', q.get('size') ?? body.size) ?? 10;
  if (from < 0)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[from] parameter cannot be negative, found [${from}]`,
    );
  if (size < 0)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[size] parameter cannot be negative, found [${size}]`,
    );
  if (q.has('scroll')) {
    if (size === 0) throw validationFailed(['[size] cannot be [0] in a scroll context']);
    if (q.get('request_cache') === 'true')
      throw validationFailed(['[request_cache] cannot be used in a scroll context']);
  }
  const totalAsInt = q.get('rest_total_hits_as_int') === 'true';
  const tth = trackTotal(q.get('track_total_hits') ?? body.track_total_hits);
  const explicitTotal = q.has('track_total_hits') || body.track_total_hits !== undefined;
  // `RestSearchAction.checkRestTotalHits`: only accurate or disabled tracking goes with it.
  if (totalAsInt && tth !== true && tth !== false && explicitTotal)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${String(tth)}`,
    );
  return { body, from, size, trackTotalHits: totalAsInt ? tth !== false : tth, totalAsInt };
}

/** `hits.total` as OpenSearch writes it (absent when not tracked; an int under rest_total_hits_as_int). */
export function totalHits(count: number, r: Pick<SearchRequest, 'trackTotalHits' | 'totalAsInt'>): Json {
  if (r.totalAsInt) return { total: r.trackTotalHits === false ? -1 : count };
  if (r.trackTotalHits === false) return {};
  if (r.trackTotalHits === true || count <= r.trackTotalHits)
    return { total: { value: count, relation: 'eq' } };
  return { total: { value: r.trackTotalHits, relation: 'gte' } };
}
