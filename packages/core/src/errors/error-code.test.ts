import { describe, expect, it } from 'vitest';
import { errorCodeTable, isRetryable, statusOf } from './error-code.js';
import { FlussoError } from './flusso-error.js';

describe('error codes', () => {
  it('map the osproxy contract codes to their statuses', () => {
    expect(statusOf('stale_epoch')).toBe(409);
    expect(isRetryable('stale_epoch')).toBe(true);
    expect(statusOf('upstream_timeout')).toBe(504);
    expect(statusOf('tls_required')).toBe(403);
    expect(statusOf('overloaded')).toBe(429);
    expect(isRetryable('malformed_request')).toBe(false);
  });

  it('give every code a status in the 4xx or 5xx range', () => {
    for (const [code, { status }] of Object.entries(errorCodeTable)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('never retry a shutdown: the work was abandoned on purpose', () => {
    expect(isRetryable('shutdown')).toBe(false);
  });

  it('carry the code on the error class', () => {
    const err = new FlussoError('upstream_failed', 'cluster c1 refused', { context: { cluster: 'c1' } });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('upstream_failed');
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(true);
  });
});
