// The URL parameters a tenancy endpoint may forward. Anything that could widen
// what a request reaches (`routing`, `preference`, `q`, `index`...) is dropped.

const ALLOWED = new Set([
  'scroll',
  'keep_alive',
  'refresh',
  'timeout',
  'wait_for_active_shards',
  'if_seq_no',
  'if_primary_term',
  'version',
  'version_type',
  'track_total_hits',
  'size',
  'from',
  'conflicts',
  'retry_on_conflict',
]);

/** The allow-listed subset of `query`, with `extra` (e.g. routing) layered on top. */
export function forwardedParams(
  query: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  // Copied key by key onto one literal (no array of pairs, no spread a request).
  const out: Record<string, string> = {};
  for (const key of Object.keys(query)) {
    if (ALLOWED.has(key)) out[key] = query[key] as string;
  }
  for (const key of Object.keys(extra)) out[key] = extra[key] as string;
  return out;
}
