// The osproxy server: ingress, auth, config, wiring.
export { loadSettings } from './config/load-settings.js';
export { type Settings, settingKeys } from './config/settings.js';
export { type Principal, parseTokens, type TokenTable } from './config/tokens.js';
export { authenticate } from './ingress/authenticate.js';
export { InflightLimiter } from './ingress/inflight-limiter.js';
export { correlationIdOf, mintRequestId } from './ingress/request-id.js';
export { createProxyMetrics } from './telemetry/metrics.js';
