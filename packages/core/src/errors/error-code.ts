// The one list of error codes shared by flusso and osproxy. Each code carries the
// HTTP status and retryability it maps to, so no code can ship without both.

export const errorCodeTable = {
  // osproxy request errors (see spec/osproxy.md)
  partition_unresolved: { status: 400, retryable: false },
  unsupported_endpoint: { status: 400, retryable: false },
  malformed_request: { status: 400, retryable: false },
  cursor_unresolvable: { status: 400, retryable: false },
  auth_failed: { status: 401, retryable: false },
  tenant_mismatch: { status: 403, retryable: false },
  unauthorized: { status: 403, retryable: false },
  tls_required: { status: 403, retryable: false },
  placement_missing: { status: 404, retryable: false },
  stale_epoch: { status: 409, retryable: true },
  request_timeout: { status: 408, retryable: true },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  unprocessable: { status: 422, retryable: false },
  overloaded: { status: 429, retryable: true },
  upstream_failed: { status: 502, retryable: true },
  placement_backend_unavailable: { status: 503, retryable: true },
  queue_unavailable: { status: 503, retryable: true },
  upstream_timeout: { status: 504, retryable: true },
  // flusso and shared
  invalid_name: { status: 400, retryable: false },
  invalid_value: { status: 400, retryable: false },
  invalid_lsn: { status: 400, retryable: false },
  invalid_trace_context: { status: 400, retryable: false },
  config_invalid: { status: 400, retryable: false },
  schema_invalid: { status: 400, retryable: false },
  decode_failed: { status: 500, retryable: false },
  source_failed: { status: 503, retryable: true },
  // The source catalog cannot serve what the config asks without an operator's fix.
  source_rejected: { status: 422, retryable: false },
  sink_transient: { status: 503, retryable: true },
  sink_rejected: { status: 400, retryable: false },
  sink_failed: { status: 502, retryable: false },
  // The process is stopping: the work was abandoned on purpose, never retried.
  shutdown: { status: 503, retryable: false },
  // A running flusso's private (admin) surface did not answer a CLI client.
  surface_unreachable: { status: 503, retryable: true },
  internal: { status: 500, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof errorCodeTable;

/** HTTP status of a code. */
export function statusOf(code: ErrorCode): number {
  return errorCodeTable[code].status;
}

/** Whether a caller may retry the same request unchanged. */
export function isRetryable(code: ErrorCode): boolean {
  return errorCodeTable[code].retryable;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCodeTable, value);
}
