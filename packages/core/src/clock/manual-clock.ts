// A Clock that moves only when told: `advance(ms)` wakes every sleeper now due.
import type { Clock } from './clock.js';

interface Sleeper {
  readonly due: number;
  readonly resolve: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = { due: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** How many sleepers are waiting: lets a test await "the code is now sleeping". */
  get pendingSleepers(): number {
    return this.sleepers.length;
  }

  /** Move time forward and wake the sleepers that are due, earliest first. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((s) => s.due <= this.current).sort((a, b) => a.due - b.due);
    this.sleepers = this.sleepers.filter((s) => s.due > this.current);
    for (const s of due) s.resolve();
  }
}
