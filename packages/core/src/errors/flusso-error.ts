// The error class every package throws: a stable `code` to branch on, and a
// shape-only context (ids, names, sizes; never document values or secrets).
import { type ErrorCode, isRetryable } from './error-code.js';

export type ErrorContext = Readonly<Record<string, string | number | boolean | null>>;

export class FlussoError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: { context?: ErrorContext; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FlussoError';
    this.code = code;
    this.context = options.context ?? {};
  }

  get retryable(): boolean {
    return isRetryable(this.code);
  }
}

/** True when `error` is a FlussoError, optionally with one of `codes`. */
export function isFlussoError(error: unknown, ...codes: ErrorCode[]): error is FlussoError {
  return error instanceof FlussoError && (codes.length === 0 || codes.includes(error.code));
}

/** A message for an unknown thrown value, for logs. Never includes a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
