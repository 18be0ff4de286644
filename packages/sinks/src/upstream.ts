// `@flusso/sinks/upstream`: osproxy's upstream over undici pools with a circuit
// breaker per cluster; loads undici.
export type { BreakerState } from './upstream/circuit-breaker.js';
export type { ClusterEndpoint, UpstreamTls } from './upstream/cluster-pools.js';
export type { PoolStats } from './upstream/pool-stats.js';
export { UndiciUpstream, type UndiciUpstreamOptions } from './upstream/undici-upstream.js';
export {
  isUpstreamError,
  UpstreamError,
  type UpstreamErrorCode,
  upstreamErrorCodes,
} from './upstream/upstream-error.js';
