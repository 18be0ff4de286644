// `GET /` and `_cluster/health` with the fields OpenSearch 2.19 answers.
import { type Json, ok, type Req, type Res } from './req-res.js';
import type { Store } from './store.js';

export const EMULATED_VERSION = '2.19.0';

export function info(): Json {
  return {
    name: 'emulator',
    cluster_name: 'flusso-emulator',
    cluster_uuid: 'emulated-cluster-uuid-00',
    version: {
      distribution: 'opensearch',
      number: EMULATED_VERSION,
      build_type: 'tar',
      build_hash: 'emulated',
      build_date: '2025-02-01T00:00:00.000000Z',
      build_snapshot: false,
      lucene_version: '9.12.1',
      minimum_wire_compatibility_version: '7.10.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  };
}

export function clusterHealth(store: Store, req: Req, expr: string | undefined): Res {
  const names = expr === undefined ? [...store.indexes.keys()] : store.resolve(expr, true);
  const shards = names.reduce((n, name) => n + (store.indexes.get(name)?.layout.shards ?? 0), 0);
  const body: Json = {
    cluster_name: 'flusso-emulator',
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: shards,
    active_shards: shards,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100.0,
  };
  const level = req.query.get('level');
  if (level === 'indices' || level === 'shards') {
    const indices: Json = {};
    for (const n of names) {
      const s = store.indexes.get(n)?.layout.shards ?? 1;
      indices[n] = {
        status: 'green',
        number_of_shards: s,
        number_of_replicas: 0,
        active_primary_shards: s,
        active_shards: s,
        relocating_shards: 0,
        initializing_shards: 0,
        unassigned_shards: 0,
        ...(level === 'shards'
          ? {
              shards: Object.fromEntries(
                Array.from({ length: s }, (_, i) => [
                  String(i),
                  {
                    status: 'green',
                    primary_active: true,
                    active_shards: 1,
                    relocating_shards: 0,
                    initializing_shards: 0,
                    unassigned_shards: 0,
                  },
                ]),
              ),
            }
          : {}),
      };
    }
    body.indices = indices;
  }
  if (expr !== undefined && names.length === 0 && req.query.get('wait_for_status') !== null)
    return ok({ ...body, status: 'red', timed_out: true }, 408);
  return ok(body);
}
