// Transport failures to FlussoError: a deadline or undici timeout is
// `upstream_timeout`, anything else that kept a reply from arriving (refused,
// reset, TLS, DNS) is `upstream_failed`. Both are retryable.
import { type ClusterId, FlussoError, isFlussoError } from '@flusso/core';

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

export function transportError(error: unknown, cluster: ClusterId): FlussoError {
  if (isFlussoError(error)) return error;
  if (error instanceof UpstreamDeadline) {
    return new FlussoError('upstream_timeout', error.message, {
      context: { cluster, reason: 'timeout', timeout_ms: error.timeoutMs },
      cause: error,
    });
  }
  const code = codeOf(error) ?? 'unknown';
  if (TIMEOUT_CODES.has(code)) {
    return new FlussoError('upstream_timeout', `upstream timed out (${code})`, {
      context: { cluster, reason: 'timeout', code },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FlussoError('upstream_failed', `upstream transport failed: ${message}`, {
    context: { cluster, reason: 'transport', code },
    cause: error,
  });
}
