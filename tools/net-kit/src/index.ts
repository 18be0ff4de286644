// Loopback helpers for tests and benchmarks.
export { freePort, waitForPort } from './ports.js';
export { type SelfSignedCert, selfSignedCert } from './self-signed.js';
