// Error codes, one table per product so no code ships without its `retryable`.
// No HTTP statuses here: flusso answers none, and osproxy's live beside its
// pipeline (`requestStatus` in @flusso/proxy, a Record over every code).

/** flusso's pipeline codes, and the vocabulary errors core itself throws (names, values, LSNs). */
export const pipelineErrorCodes = {
  invalid_name: { retryable: false },
  invalid_value: { retryable: false },
  invalid_lsn: { retryable: false },
  invalid_trace_context: { retryable: false },
  config_invalid: { retryable: false },
  schema_invalid: { retryable: false },
  decode_failed: { retryable: false },
  source_failed: { retryable: true },
  // The source catalog cannot serve what the config asks without an operator's fix.
  source_rejected: { retryable: false },
  sink_transient: { retryable: true },
  sink_rejected: { retryable: false },
  sink_failed: { retryable: false },
  // The process is stopping: the work was abandoned on purpose, never retried.
  shutdown: { retryable: false },
  // A running flusso's private (admin) surface did not answer a CLI client.
  surface_unreachable: { retryable: true },
  internal: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

/**
 * osproxy's request codes (see spec/osproxy.md). Their retryability is here, not in
 * @flusso/proxy, because the shared upstream and write queue in @flusso/sinks throw
 * some of them (`upstream_*`, `overloaded`, `queue_unavailable`) and sinks never
 * import the proxy; their HTTP statuses are the proxy's.
 */
export const requestErrorCodes = {
  partition_unresolved: { retryable: false },
  unsupported_endpoint: { retryable: false },
  malformed_request: { retryable: false },
  cursor_unresolvable: { retryable: false },
  auth_failed: { retryable: false },
  tenant_mismatch: { retryable: false },
  unauthorized: { retryable: false },
  tls_required: { retryable: false },
  placement_missing: { retryable: false },
  stale_epoch: { retryable: true },
  request_timeout: { retryable: true },
  payload_too_large: { retryable: false },
  unsupported_media_type: { retryable: false },
  unprocessable: { retryable: false },
  overloaded: { retryable: true },
  upstream_failed: { retryable: true },
  placement_backend_unavailable: { retryable: true },
  queue_unavailable: { retryable: true },
  upstream_timeout: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type PipelineErrorCode = keyof typeof pipelineErrorCodes;
export type RequestErrorCode = keyof typeof requestErrorCodes;
/** Every code a FlussoError may carry. */
export type ErrorCode = PipelineErrorCode | RequestErrorCode;

const retryableByCode: Readonly<Record<ErrorCode, { readonly retryable: boolean }>> = {
  ...pipelineErrorCodes,
  ...requestErrorCodes,
};

/** Whether a caller may retry the same request (or restart the run) unchanged. */
export function isRetryable(code: ErrorCode): boolean {
  return retryableByCode[code].retryable;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(retryableByCode, value);
}
