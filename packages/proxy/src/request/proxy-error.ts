// osproxy's request codes (spec/osproxy.md): one table, each code with the HTTP
// status osproxy answers it with and whether the client may retry unchanged. A
// new code without a status (or retryability) fails to compile.
import { CodedError, type CodedErrorOptions } from '@flusso/core';

export const requestErrorCodes = {
  partition_unresolved: { status: 400, retryable: false },
  unsupported_endpoint: { status: 400, retryable: false },
  malformed_request: { status: 400, retryable: false },
  cursor_unresolvable: { status: 400, retryable: false },
  auth_failed: { status: 401, retryable: false },
  tenant_mismatch: { status: 403, retryable: false },
  unauthorized: { status: 403, retryable: false },
  tls_required: { status: 403, retryable: false },
  placement_missing: { status: 404, retryable: false },
  request_timeout: { status: 408, retryable: true },
  stale_epoch: { status: 409, retryable: true },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  unprocessable: { status: 422, retryable: false },
  overloaded: { status: 429, retryable: true },
  too_many_search_contexts: { status: 429, retryable: true },
  upstream_failed: { status: 502, retryable: true },
  placement_backend_unavailable: { status: 503, retryable: true },
  queue_unavailable: { status: 503, retryable: true },
  upstream_timeout: { status: 504, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type RequestErrorCode = keyof typeof requestErrorCodes;

/** An error osproxy answers a client with, carrying one of its request codes. */
export class ProxyError extends CodedError<RequestErrorCode> {
  constructor(code: RequestErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ProxyError';
  }

  get retryable(): boolean {
    return requestErrorCodes[this.code].retryable;
  }
}

/** True when `error` is a ProxyError, optionally with one of `codes`. */
export function isProxyError(error: unknown, ...codes: RequestErrorCode[]): error is ProxyError {
  return error instanceof ProxyError && (codes.length === 0 || codes.includes(error.code));
}

export function isRequestErrorCode(value: string): value is RequestErrorCode {
  return Object.hasOwn(requestErrorCodes, value);
}
