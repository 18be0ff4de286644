// flusso's error codes, each with its `retryable`. No HTTP statuses: flusso
// answers none. osproxy's request codes (and their statuses) are @flusso/proxy's,
// the upstream's and the write queue's are @flusso/sinks'.

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

export type PipelineErrorCode = keyof typeof pipelineErrorCodes;

/** Whether a caller may retry the same work (or restart the run) unchanged. */
export function isRetryable(code: PipelineErrorCode): boolean {
  return pipelineErrorCodes[code].retryable;
}

export function isPipelineErrorCode(value: string): value is PipelineErrorCode {
  return Object.hasOwn(pipelineErrorCodes, value);
}
