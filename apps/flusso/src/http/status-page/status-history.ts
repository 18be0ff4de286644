// The last minutes of the status, sampled once a second for the status page's
// charts: committed changes per second, end-to-end lag and slot lag.
import type { Status } from '@flusso/daemon';

export interface HistorySample {
  /** Unix seconds. */
  readonly t: number;
  readonly changes_per_second: number;
  readonly end_to_end_lag_ms: number | null;
  readonly slot_lag_bytes: number | null;
}

export class StatusHistory {
  private readonly buffer: HistorySample[] = [];
  private last: { at: number; committed: number } | null = null;

  constructor(
    private readonly status: () => Status | null,
    private readonly capacity = 300,
  ) {}

  /** Take one sample at wall-clock `nowMs`. */
  sample(nowMs: number): void {
    const s = this.status()?.snapshot();
    if (!s) return;
    const previous = this.last;
    this.last = { at: nowMs, committed: s.changes_committed };
    if (!previous) return;
    const seconds = Math.max(0.001, (nowMs - previous.at) / 1000);
    this.buffer.push({
      t: Math.round(nowMs / 100) / 10,
      changes_per_second: Math.round(Math.max(0, s.changes_committed - previous.committed) / seconds),
      end_to_end_lag_ms: s.end_to_end_lag_ms,
      slot_lag_bytes: s.slot_lag_bytes,
    });
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
  }

  samples(): readonly HistorySample[] {
    return this.buffer;
  }
}

/** Sample every `intervalMs` until the returned stop is called (the timer never holds the process). */
export function sampleEvery(history: StatusHistory, intervalMs = 1000): () => void {
  const timer = setInterval(() => history.sample(Date.now()), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
