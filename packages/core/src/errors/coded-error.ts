// The base every product's error class extends: a stable `code` to branch on,
// whether the same request (or run) may be retried unchanged, and a shape-only
// context (ids, names, sizes; never document values or secrets). Each product
// keeps its own code table beside its class: flusso's pipeline codes here
// (`FlussoError`), osproxy's request codes in @flusso/proxy (`ProxyError`), the
// upstream's and the write queue's in @flusso/sinks.

export type ErrorContext = Readonly<Record<string, string | number | boolean | null>>;

export interface CodedErrorOptions {
  readonly context?: ErrorContext;
  readonly cause?: unknown;
}

export abstract class CodedError<C extends string = string> extends Error {
  readonly code: C;
  readonly context: ErrorContext;

  constructor(code: C, message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }

  /** Whether a caller may retry the same request (or restart the run) unchanged. */
  abstract get retryable(): boolean;
}

/** A message for an unknown thrown value, for logs. Never includes a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
