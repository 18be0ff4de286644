// A per-cluster circuit breaker on transport failures, driven by a Clock: open after
// `threshold` consecutive failures, shed while open, let one trial through once
// the cooldown has passed (half-open), close on a success.
import type { Clock } from '@flusso/core';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  readonly clock: Clock;
  /** Consecutive transport failures that open the circuit (at least 1). */
  readonly threshold: number;
  readonly cooldownMs: number;
}

export class CircuitBreaker {
  private stored: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(private readonly options: BreakerOptions) {}

  /** The state as an observer sees it: an open circuit past its cooldown is ready for a trial. */
  get state(): BreakerState {
    if (this.stored === 'open' && this.cooledDown()) return 'half_open';
    return this.stored;
  }

  /** Whether a request may be dispatched now; a `true` must be followed by `success()` or `failure()`. */
  admit(): boolean {
    if (this.stored === 'closed') return true;
    if (this.stored === 'open') {
      if (!this.cooledDown()) return false;
      this.stored = 'half_open';
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.stored = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures += 1;
    if (this.stored === 'half_open' || this.failures >= Math.max(1, this.options.threshold)) {
      this.stored = 'open';
      this.openedAt = this.options.clock.monotonic();
    }
    this.trialInFlight = false;
  }

  /** An admitted request that ended without telling anything about the upstream. */
  release(): void {
    this.trialInFlight = false;
  }

  private cooledDown(): boolean {
    return this.options.clock.monotonic() - this.openedAt >= this.options.cooldownMs;
  }
}
