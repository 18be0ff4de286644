// Cluster settings (`_cluster/settings`) and ingest pipelines: stored per
// cluster, flat dotted keys, null removes; `search.max_keep_alive` is applied.
import { OsError } from './errors.js';
import { type Json, ok, type Req, type Res } from './req-res.js';
import type { Store } from './store.js';

function flatten(value: unknown, prefix: string, out: Json): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
}

export function clusterSettingsRoute(store: Store, req: Req): Res {
  if (req.method === 'PUT') {
    const body = req.json();
    for (const scope of ['persistent', 'transient'] as const) {
      const flat: Json = {};
      flatten(body[scope] ?? {}, '', flat);
      for (const [k, v] of Object.entries(flat)) {
        if (v === null) delete store.clusterSettings[scope][k];
        else store.clusterSettings[scope][k] = String(v);
      }
    }
    return ok({ acknowledged: true, persistent: body.persistent ?? {}, transient: body.transient ?? {} });
  }
  return ok({
    persistent: { ...store.clusterSettings.persistent },
    transient: { ...store.clusterSettings.transient },
  });
}

const TIME = /^(\d+)(nanos|micros|ms|s|m|h|d)$/;
const UNIT: Record<string, number> = {
  nanos: 1e-6,
  micros: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

function millis(value: string, name: string): number {
  const m = TIME.exec(value);
  if (!m)
    throw new OsError(
      400,
      'parse_exception',
      `failed to parse setting [${name}] with value [${value}] as a time value`,
    );
  return Number(m[1]) * (UNIT[m[2] as string] ?? 1);
}

/** A scroll keep-alive within `search.max_keep_alive` (24h unless set). */
export function checkKeepAlive(store: Store, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  const s = store.clusterSettings;
  const max = (s.transient['search.max_keep_alive'] ??
    s.persistent['search.max_keep_alive'] ??
    '1d') as string;
  if (millis(value, 'scroll') > millis(max, 'search.max_keep_alive'))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `Keep alive for request (${value}) is too large. It must be less than (${max}). This limit can be set by changing the [search.max_keep_alive] cluster level setting.`,
    );
}

export function pipelineRoute(store: Store, req: Req, id: string | undefined): Res {
  if (id === undefined) return ok(Object.fromEntries(store.pipelines));
  if (req.method === 'PUT') {
    store.pipelines.set(id, req.json());
    return ok({ acknowledged: true });
  }
  if (req.method === 'DELETE' && id === '*') {
    store.pipelines.clear();
    return ok({ acknowledged: true });
  }
  const pipeline = store.pipelines.get(id);
  if (!pipeline) throw new OsError(404, 'resource_not_found_exception', `pipeline [${id}] is missing`);
  if (req.method === 'DELETE') store.pipelines.delete(id);
  return ok(req.method === 'DELETE' ? { acknowledged: true } : { [id]: pipeline });
}

/** Writes naming a pipeline that does not exist fail (pipelines are stored, not run). */
export function checkPipeline(store: Store, pipeline: unknown): void {
  if (pipeline === undefined || pipeline === null || pipeline === '_none') return;
  if (!store.pipelines.has(String(pipeline)))
    throw new OsError(
      400,
      'illegal_argument_exception',
      `pipeline with id [${String(pipeline)}] does not exist`,
    );
}
