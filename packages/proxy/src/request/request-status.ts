// What osproxy answers for an error: the HTTP status of every code it can answer
// with (its request codes in proxy-error.ts, flusso's pipeline codes should core's
// parsers throw one), and the sinks' own errors mapped to request codes. Records
// over every code, so a new code without a status or a mapping fails to compile.
import { FlussoError, type PipelineErrorCode } from '@flusso/core';
import {
  UpstreamError,
  type UpstreamErrorCode,
  WriteQueueError,
  type WriteQueueErrorCode,
} from '@flusso/sinks';
import { ProxyError, type RequestErrorCode, requestErrorCodes } from './proxy-error.js';

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

/** The request code a failure of the upstream (@flusso/sinks/upstream) is answered with. */
export const upstreamAnswers: Readonly<Record<UpstreamErrorCode, RequestErrorCode>> = {
  timeout: 'upstream_timeout',
  transport: 'upstream_failed',
  circuit_open: 'upstream_failed',
  closed: 'upstream_failed',
  bad_endpoint: 'upstream_failed',
  refused_request: 'malformed_request',
};

/** The request code a failure of the write queue (@flusso/sinks/kafka) is answered with. */
export const writeQueueAnswers: Readonly<Record<WriteQueueErrorCode, RequestErrorCode>> = {
  unavailable: 'queue_unavailable',
};

/** Every code an answer may carry. */
export type AnswerCode = RequestErrorCode | PipelineErrorCode;

/** HTTP status of an error code, as osproxy answers it. */
export function requestStatus(code: AnswerCode): number {
  return code in requestErrorCodes
    ? requestErrorCodes[code as RequestErrorCode].status
    : pipelineCodeStatus[code as PipelineErrorCode];
}

/** Every error osproxy answers a client with (anything else is an internal error). */
export type AnswerableError = ProxyError | FlussoError | UpstreamError | WriteQueueError;

export function isAnswerable(error: unknown): error is AnswerableError {
  return (
    error instanceof ProxyError ||
    error instanceof FlussoError ||
    error instanceof UpstreamError ||
    error instanceof WriteQueueError
  );
}

/** The error as the client sees it: a sinks' failure becomes its request code (same message and context). */
export function answerError(error: AnswerableError): ProxyError | FlussoError {
  if (error instanceof UpstreamError) {
    return new ProxyError(upstreamAnswers[error.code], error.message, {
      context: error.context,
      cause: error,
    });
  }
  if (error instanceof WriteQueueError) {
    return new ProxyError(writeQueueAnswers[error.code], error.message, {
      context: error.context,
      cause: error,
    });
  }
  return error;
}
