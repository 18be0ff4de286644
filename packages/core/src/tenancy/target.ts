// Where a request goes upstream: one cluster, optionally one physical index,
// and the endpoint that reaches the cluster.
import type { ClusterId, IndexName } from '../names/names.js';

/** How to reach a cluster: its base URL and the HTTP protocol to speak. */
export interface UpstreamEndpoint {
  /** Base URL, e.g. `https://os-eu-1:9200`. */
  readonly url: string;
  readonly protocol: 'http1' | 'h2';
}

export interface Target {
  readonly cluster: ClusterId;
  /** The physical index; absent for cluster-level calls (cursors, admin). */
  readonly index?: IndexName;
  /** Absent when the upstream resolves the endpoint from the cluster id. */
  readonly endpoint?: UpstreamEndpoint;
}
