import { pipelineErrorCodes, requestErrorCodes } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { requestStatus } from './request-status.js';

describe('requestStatus', () => {
  it('maps the osproxy contract codes to their statuses', () => {
    expect(requestStatus('stale_epoch')).toBe(409);
    expect(requestStatus('upstream_timeout')).toBe(504);
    expect(requestStatus('tls_required')).toBe(403);
    expect(requestStatus('overloaded')).toBe(429);
    expect(requestStatus('invalid_name')).toBe(400);
  });

  it('gives every code of both tables a 4xx or 5xx status', () => {
    for (const code of [...Object.keys(requestErrorCodes), ...Object.keys(pipelineErrorCodes)]) {
      const status = requestStatus(code as keyof typeof requestErrorCodes);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });
});
