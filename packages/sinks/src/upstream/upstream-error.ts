// The upstream's own failures, in its own vocabulary. Only a missing reply
// throws (an HTTP error status is a reply). osproxy maps these codes to its
// request codes where it answers a client (@flusso/proxy, `request-status.ts`).
import { CodedError, type CodedErrorOptions } from '@flusso/core';

export const upstreamErrorCodes = {
  // The deadline fired, or undici timed out connecting or waiting for headers/body.
  timeout: { retryable: true },
  // No reply arrived: refused, reset, TLS, DNS.
  transport: { retryable: true },
  // The cluster's circuit is open: nothing was dispatched.
  circuit_open: { retryable: true },
  // The upstream was closed (the process is stopping).
  closed: { retryable: true },
  // No endpoint is known for the cluster, or its url is not an http(s) url.
  bad_endpoint: { retryable: true },
  // The request is not one to send: a refused path, or undici would not build it.
  refused_request: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type UpstreamErrorCode = keyof typeof upstreamErrorCodes;

export class UpstreamError extends CodedError<UpstreamErrorCode> {
  constructor(code: UpstreamErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(code, message, options);
    this.name = 'UpstreamError';
  }

  get retryable(): boolean {
    return upstreamErrorCodes[this.code].retryable;
  }
}

/** True when `error` is an UpstreamError, optionally with one of `codes`. */
export function isUpstreamError(error: unknown, ...codes: UpstreamErrorCode[]): error is UpstreamError {
  return error instanceof UpstreamError && (codes.length === 0 || codes.includes(error.code));
}
