// Transport failures to UpstreamError: a deadline or undici timeout is
// `timeout`, anything else that kept a reply from arriving (refused, reset,
// TLS, DNS) is `transport`. Both are retryable.
import type { ClusterId } from '@flusso/core';
import { UpstreamError } from './upstream-error.js';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') return code;
  // AggregateError (happy eyeballs) and wrapped causes carry the code one level down.
  const cause = 'cause' in error ? error.cause : undefined;
  return cause === undefined || cause === error ? undefined : codeOf(cause);
}

/** The deadline reason a timed-out request is aborted with. */
export class UpstreamDeadline extends Error {
  constructor(readonly timeoutMs: number) {
    super(`upstream did not answer within ${timeoutMs} ms`);
    this.name = 'UpstreamDeadline';
  }
}

/** Whether `error` says the request never made sense (undici refused to build it). */
export function isInvalidRequest(error: unknown): boolean {
  return codeOf(error) === 'UND_ERR_INVALID_ARG';
}

export function transportError(error: unknown, cluster: ClusterId): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof UpstreamDeadline) {
    return new UpstreamError('timeout', error.message, {
      context: { cluster, reason: 'timeout', timeout_ms: error.timeoutMs },
      cause: error,
    });
  }
  const code = codeOf(error) ?? 'unknown';
  if (TIMEOUT_CODES.has(code)) {
    return new UpstreamError('timeout', `upstream timed out (${code})`, {
      context: { cluster, reason: 'timeout', code },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('transport', `upstream transport failed: ${message}`, {
    context: { cluster, reason: 'transport', code },
    cause: error,
  });
}
