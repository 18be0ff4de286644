import { describe, expect, it } from 'vitest';
import { isErrorCode, isRetryable, pipelineErrorCodes, requestErrorCodes } from './error-code.js';
import { FlussoError } from './flusso-error.js';

describe('error codes', () => {
  it('give the osproxy contract codes their retryability', () => {
    expect(isRetryable('stale_epoch')).toBe(true);
    expect(isRetryable('overloaded')).toBe(true);
    expect(isRetryable('malformed_request')).toBe(false);
  });

  it('keep the two products apart: no code in both tables', () => {
    const shared = Object.keys(pipelineErrorCodes).filter((code) => Object.hasOwn(requestErrorCodes, code));
    expect(shared).toEqual([]);
  });

  it('know every code of both tables and nothing else', () => {
    expect(isErrorCode('source_failed')).toBe(true);
    expect(isErrorCode('upstream_timeout')).toBe(true);
    expect(isErrorCode('no_such_code')).toBe(false);
  });

  it('never retry a shutdown: the work was abandoned on purpose', () => {
    expect(isRetryable('shutdown')).toBe(false);
  });

  it('carry the code on the error class', () => {
    const err = new FlussoError('upstream_failed', 'cluster c1 refused', { context: { cluster: 'c1' } });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('upstream_failed');
    expect(err.retryable).toBe(true);
  });
});
