// Index settings as OpenSearch keeps them: nested under `index`, dotted keys
// expanded, leaf values as strings; the shard layout read from them.
import { OsError } from './errors.js';
import { defaultRoutingShards, type ShardLayout } from './routing.js';

type Json = Record<string, unknown>;

function setPath(target: Json, path: string[], value: unknown): void {
  let at = target;
  for (const part of path.slice(0, -1)) {
    const next = at[part];
    at[part] = next && typeof next === 'object' && !Array.isArray(next) ? next : {};
    at = at[part] as Json;
  }
  at[path[path.length - 1] as string] = value;
}

function flatten(value: unknown, prefix: string[], out: [string[], unknown][]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, [...prefix, ...k.split('.')], out);
  } else out.push([prefix, value]);
}

/** A settings array holds scalars: an object or array inside one is refused, as OpenSearch does. */
function scalarText(path: readonly string[], value: unknown): string {
  if (value !== null && typeof value === 'object')
    throw new OsError(
      400,
      'illegal_argument_exception',
      `setting [index.${path.join('.')}] must hold scalar values`,
    );
  return String(value);
}

/** The index-level settings of a create/put-settings body (`index.` prefix and nesting removed). */
export function normalizeSettings(body: unknown): Json {
  const pairs: [string[], unknown][] = [];
  flatten(body ?? {}, [], pairs);
  const out: Json = {};
  for (const [path, value] of pairs) {
    const p = path[0] === 'index' ? path.slice(1) : path;
    if (p.length === 0) continue;
    setPath(
      out,
      p,
      Array.isArray(value) ? value.map((v) => scalarText(p, v)) : value === null ? null : String(value),
    );
  }
  return out;
}

/** Merges `patch` into `settings` (a null leaf removes the setting). */
export function mergeSettings(settings: Json, patch: Json): Json {
  const out: Json = { ...settings };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v))
      out[k] = mergeSettings((out[k] ?? {}) as Json, v as Json);
    else out[k] = v;
  }
  return out;
}

function positive(settings: Json, key: string, fallback: number, max = Number.POSITIVE_INFINITY): number {
  const raw = settings[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Failed to parse value [${String(raw)}] for setting [index.${key}] must be >= 1`,
    );
  if (n > max)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Failed to parse value [${String(raw)}] for setting [index.${key}] must be <= ${max}`,
    );
  return n;
}

export function shardLayout(settings: Json): ShardLayout {
  // `opensearch.index.max_number_of_shards` (1024) bounds `index.number_of_shards`.
  const shards = positive(settings, 'number_of_shards', 1, 1024);
  const routingShards = positive(settings, 'number_of_routing_shards', defaultRoutingShards(shards));
  if (routingShards % shards !== 0)
    throw new OsError(
      400,
      'illegal_argument_exception',
      `the number of source shards [${shards}] must be a factor of [${routingShards}]`,
    );
  return { shards, routingShards };
}
