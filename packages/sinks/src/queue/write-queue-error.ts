// The write queue's own failure: the queue did not take (or serve) the write.
// osproxy answers it as `queue_unavailable` (@flusso/proxy, `request-status.ts`).
import { CodedError, type CodedErrorOptions } from '@flusso/core';

export const writeQueueErrorCodes = {
  // The broker did not acknowledge, or the topic could not be reached or consumed.
  unavailable: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type WriteQueueErrorCode = keyof typeof writeQueueErrorCodes;

export class WriteQueueError extends CodedError<WriteQueueErrorCode> {
  constructor(code: WriteQueueErrorCode, message: string, options: CodedErrorOptions = {}) {
    super(code, message, options);
    this.name = 'WriteQueueError';
  }

  get retryable(): boolean {
    return writeQueueErrorCodes[this.code].retryable;
  }
}

/** True when `error` is a WriteQueueError, optionally with one of `codes`. */
export function isWriteQueueError(error: unknown, ...codes: WriteQueueErrorCode[]): error is WriteQueueError {
  return error instanceof WriteQueueError && (codes.length === 0 || codes.includes(error.code));
}
