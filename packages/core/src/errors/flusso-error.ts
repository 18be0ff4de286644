// flusso's error class (and the one core's own parsers throw): a pipeline code
// from `pipelineErrorCodes`, its retryability read from that table.
import { CodedError, type CodedErrorOptions } from './coded-error.js';
import { isRetryable, type PipelineErrorCode } from './error-code.js';

export class FlussoError extends CodedError<PipelineErrorCode> {
  constructor(code: PipelineErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(code, message, options);
    this.name = 'FlussoError';
  }

  get retryable(): boolean {
    return isRetryable(this.code);
  }
}

/** True when `error` is a FlussoError, optionally with one of `codes`. */
export function isFlussoError(error: unknown, ...codes: PipelineErrorCode[]): error is FlussoError {
  return error instanceof FlussoError && (codes.length === 0 || codes.includes(error.code));
}
