import { FlussoError, pipelineErrorCodes } from '@flusso/core';
import { UpstreamError, type UpstreamErrorCode, upstreamErrorCodes, WriteQueueError } from '@flusso/sinks';
import { describe, expect, it } from 'vitest';
import { ProxyError, type RequestErrorCode, requestErrorCodes } from './proxy-error.js';
import { answerError, isAnswerable, requestStatus, upstreamAnswers } from './request-status.js';

describe('requestStatus', () => {
  it('maps the osproxy contract codes to their statuses', () => {
    expect(requestStatus('stale_epoch')).toBe(409);
    expect(requestStatus('upstream_timeout')).toBe(504);
    expect(requestStatus('tls_required')).toBe(403);
    expect(requestStatus('overloaded')).toBe(429);
    expect(requestStatus('invalid_name')).toBe(400);
  });

  it('gives every request code a 4xx or 5xx status and a retryability', () => {
    for (const [code, { status, retryable }] of Object.entries(requestErrorCodes)) {
      expect(requestStatus(code as RequestErrorCode), code).toBe(status);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(new ProxyError(code as RequestErrorCode, 'x').retryable, code).toBe(retryable);
    }
  });

  it("gives every one of core's pipeline codes a status too, should one reach a request", () => {
    for (const code of Object.keys(pipelineErrorCodes)) {
      const status = requestStatus(code as keyof typeof pipelineErrorCodes);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
    }
  });

  it('keeps the two products apart: no request code is a pipeline code', () => {
    expect(Object.keys(requestErrorCodes).filter((code) => Object.hasOwn(pipelineErrorCodes, code))).toEqual(
      [],
    );
  });
});

describe("the sinks' errors, as osproxy answers them", () => {
  const documented: Record<UpstreamErrorCode, [RequestErrorCode, number]> = {
    timeout: ['upstream_timeout', 504],
    transport: ['upstream_failed', 502],
    circuit_open: ['upstream_failed', 502],
    closed: ['upstream_failed', 502],
    bad_endpoint: ['upstream_failed', 502],
    refused_request: ['malformed_request', 400],
  };

  it('maps every upstream code to its documented request code and status', () => {
    expect(Object.keys(upstreamAnswers).sort()).toEqual(Object.keys(upstreamErrorCodes).sort());
    for (const [code, [answer, status]] of Object.entries(documented)) {
      const failure = new UpstreamError(code as UpstreamErrorCode, 'upstream said no', {
        context: { cluster: 'eu-1', reason: 'r' },
      });
      expect(isAnswerable(failure)).toBe(true);
      const answered = answerError(failure);
      expect(answered, code).toBeInstanceOf(ProxyError);
      expect(answered.code, code).toBe(answer);
      expect(requestStatus(answered.code), code).toBe(status);
      expect(answered.message).toBe('upstream said no');
      expect(answered.context).toEqual({ cluster: 'eu-1', reason: 'r' });
      expect(answered.cause).toBe(failure);
    }
  });

  it('answers a write-queue failure as 503 queue_unavailable, retryable', () => {
    const answered = answerError(
      new WriteQueueError('unavailable', 'the write queue did not acknowledge the write'),
    );
    expect(answered.code).toBe('queue_unavailable');
    expect(requestStatus(answered.code)).toBe(503);
    expect(answered.retryable).toBe(true);
  });

  it("answers its own and core's errors as they are, and nothing else", () => {
    const own = new ProxyError('stale_epoch', 'stale');
    const core = new FlussoError('invalid_name', 'bad name');
    expect(answerError(own)).toBe(own);
    expect(answerError(core)).toBe(core);
    expect(isAnswerable(new Error('boom'))).toBe(false);
  });
});
