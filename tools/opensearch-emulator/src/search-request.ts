// A search request read and checked as OpenSearch does: body and URL parameters,
// from/size bounds, unknown top-level keys, track_total_hits.
import { OsError } from './errors.js';

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

function trackTotal(raw: unknown): boolean | number {
  if (raw === undefined || raw === null || raw === true || raw === 'true') return 10_000;
  if (raw === false || raw === 'false') return false;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -1)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `[track_total_hits] parameter must be positive or equals to -1, got ${String(raw)}`,
    );
  return n === -1 ? true : n;
}

export function searchRequest(body: Json, q: URLSearchParams): SearchRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new OsError(400, 'parsing_exception', 'Unexpected token, expected START_OBJECT');
  for (const key of Object.keys(body))
    if (!BODY_KEYS.has(key))
      throw new OsError(400, 'parsing_exception', `Unknown key for a START_OBJECT in [${key}].`);
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
  const totalAsInt = q.get('rest_total_hits_as_int') === 'true';
  const tth = trackTotal(q.get('track_total_hits') ?? body.track_total_hits);
  if (totalAsInt && tth !== true && tth !== 10_000 && q.has('track_total_hits'))
    throw new OsError(
      400,
      'illegal_argument_exception',
      '[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got 10000',
    );
  return { body, from, size, trackTotalHits: totalAsInt ? true : tth, totalAsInt };
}

/** `hits.total` as OpenSearch writes it (absent when not tracked; an int under rest_total_hits_as_int). */
export function totalHits(count: number, r: Pick<SearchRequest, 'trackTotalHits' | 'totalAsInt'>): Json {
  if (r.totalAsInt) return { total: count };
  if (r.trackTotalHits === false) return {};
  if (r.trackTotalHits === true || count <= r.trackTotalHits)
    return { total: { value: count, relation: 'eq' } };
  return { total: { value: r.trackTotalHits, relation: 'gte' } };
}
