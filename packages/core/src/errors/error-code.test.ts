import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { CodedError } from './coded-error.js';
import { isPipelineErrorCode, isRetryable, pipelineErrorCodes } from './error-code.js';
import { FlussoError, isFlussoError } from './flusso-error.js';

describe('error codes', () => {
  it('give flusso pipeline codes their retryability', () => {
    expect(isRetryable('source_failed')).toBe(true);
    expect(isRetryable('sink_transient')).toBe(true);
    expect(isRetryable('config_invalid')).toBe(false);
  });

  it('know the pipeline codes and nothing else: no osproxy request code is core', () => {
    expect(isPipelineErrorCode('source_failed')).toBe(true);
    for (const code of ['upstream_timeout', 'queue_unavailable', 'malformed_request', 'unprocessable']) {
      expect(isPipelineErrorCode(code), code).toBe(false);
    }
    const exported = Object.keys(core);
    for (const name of ['requestErrorCodes', 'ProxyError', 'isProxyError', 'isErrorCode', 'requestStatus']) {
      expect(exported, name).not.toContain(name);
    }
    expect(exported.filter((name) => /request|error/i.test(name)).sort()).toEqual(
      [
        'CodedError',
        'FlussoError',
        'describeError',
        'isFlussoError',
        'isPipelineErrorCode',
        'pipelineErrorCodes',
      ].sort(),
    );
  });

  it('never retry a shutdown: the work was abandoned on purpose', () => {
    expect(isRetryable('shutdown')).toBe(false);
  });

  it('carry the code on the error class, a CodedError', () => {
    const err = new FlussoError('sink_transient', 'cluster c1 refused', { context: { cluster: 'c1' } });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(CodedError);
    expect(err.name).toBe('FlussoError');
    expect(err.code).toBe('sink_transient');
    expect(err.context).toEqual({ cluster: 'c1' });
    expect(err.retryable).toBe(true);
    expect(isFlussoError(err, 'sink_transient')).toBe(true);
    expect(isFlussoError(err, 'sink_failed')).toBe(false);
  });

  it('let another product extend the base with its own table', () => {
    const table = { busy: { retryable: true } } as const;
    class OtherError extends CodedError<keyof typeof table> {
      get retryable(): boolean {
        return table[this.code].retryable;
      }
    }
    const err = new OtherError('busy', 'try later', { cause: new Error('root') });
    expect(err.retryable).toBe(true);
    expect(err.cause).toBeInstanceOf(Error);
    expect(isFlussoError(err)).toBe(false);
    expect(Object.keys(pipelineErrorCodes)).not.toContain('busy');
  });
});
