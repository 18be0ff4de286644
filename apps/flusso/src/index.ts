// The flusso CLI: composition root, HTTP surfaces, metrics, signals.
export { basicAuthMatches, type Credentials } from './http/basic-auth.js';
export { privateSurface } from './http/private-surface.js';
export { publicSurface } from './http/public-surface.js';
export { createMetrics } from './telemetry/metrics.js';
