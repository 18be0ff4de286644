// Capped exponential backoff: the one implementation every retry loop uses.

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** Attempts after the first; `Infinity` retries forever. */
  readonly maxRetries: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 100, maxMs: 10_000, factor: 2, maxRetries: 5 };

/** Delay before retry number `retry` (0-based), never above `maxMs`. */
export function backoffDelay(policy: BackoffPolicy, retry: number): number {
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, retry));
}
