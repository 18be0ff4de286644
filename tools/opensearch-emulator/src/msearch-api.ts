// `_msearch`: header/body line pairs, each answered like `_search` or with its error.
import { OsError } from './errors.js';
import { search } from './search-api.js';
import type { Store } from './store.js';

type Json = Record<string, unknown>;

const HEADER_PARAMS = [
  'routing',
  'preference',
  'ignore_unavailable',
  'allow_no_indices',
  'expand_wildcards',
  'search_type',
  'request_cache',
  'allow_partial_search_results',
];

function parseLine(line: string | undefined, n: number): Json {
  try {
    const v = JSON.parse(line ?? '{}');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch {
    // fall through to the error below
  }
  throw new OsError(400, 'parsing_exception', `Failed to parse msearch line [${n}]`);
}

export function msearch(store: Store, defaultIndex: string, text: string, q: URLSearchParams): Json {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  if (lines.length === 0)
    throw new OsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const pairs: [Json, string | undefined][] = [];
  for (let i = 0; i < lines.length; i += 2)
    pairs.push([parseLine((lines[i] as string).trim() === '' ? '{}' : lines[i], i + 1), lines[i + 1]]);
  if (q.get('rest_total_hits_as_int') === 'true')
    for (const [, line] of pairs) {
      let t: unknown;
      try {
        t = (JSON.parse(line ?? '{}') as Json).track_total_hits;
      } catch {
        continue;
      }
      if (t !== undefined && t !== true && t !== false && t !== -1)
        throw new OsError(
          400,
          'illegal_argument_exception',
          `[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${String(t)}`,
        );
    }
  const responses = pairs.map(([header, bodyLine], i) => {
    try {
      const body = parseLine(bodyLine, 2 * i + 2);
      const index =
        header.index === undefined
          ? defaultIndex
          : Array.isArray(header.index)
            ? header.index.join(',')
            : String(header.index);
      const params = new URLSearchParams();
      if (q.get('rest_total_hits_as_int') === 'true') params.set('rest_total_hits_as_int', 'true');
      for (const p of HEADER_PARAMS) if (header[p] !== undefined) params.set(p, String(header[p]));
      return { ...search(store, index, body, params), status: 200 };
    } catch (error) {
      if (!(error instanceof OsError)) throw error;
      return { ...error.body(), status: error.status };
    }
  });
  return { took: 1, responses };
}
