// The HTTP status of every error code osproxy can answer with. A Record over
// every code, so a new code without a status fails to compile.
import type { ErrorCode, PipelineErrorCode, RequestErrorCode } from '@flusso/core';

/** osproxy's own request codes (spec/osproxy.md). */
const requestCodeStatus: Record<RequestErrorCode, number> = {
  partition_unresolved: 400,
  unsupported_endpoint: 400,
  malformed_request: 400,
  cursor_unresolvable: 400,
  auth_failed: 401,
  tenant_mismatch: 403,
  unauthorized: 403,
  tls_required: 403,
  placement_missing: 404,
  request_timeout: 408,
  stale_epoch: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  overloaded: 429,
  upstream_failed: 502,
  placement_backend_unavailable: 503,
  queue_unavailable: 503,
  upstream_timeout: 504,
};

/** flusso's codes, should one reach a request (core's name, value and trace parsers throw them). */
const pipelineCodeStatus: Record<PipelineErrorCode, number> = {
  invalid_name: 400,
  invalid_value: 400,
  invalid_lsn: 400,
  invalid_trace_context: 400,
  config_invalid: 400,
  schema_invalid: 400,
  decode_failed: 500,
  source_failed: 503,
  source_rejected: 422,
  sink_transient: 503,
  sink_rejected: 400,
  sink_failed: 502,
  shutdown: 503,
  surface_unreachable: 503,
  internal: 500,
};

/** HTTP status of an error code, as osproxy answers it. */
export function requestStatus(code: ErrorCode): number {
  return code in requestCodeStatus
    ? requestCodeStatus[code as RequestErrorCode]
    : pipelineCodeStatus[code as PipelineErrorCode];
}
