// End-to-end lag as flusso sees it: from a change's arrival to its confirmation
// after every sink flushed it. Changes are confirmed in arrival order, so a FIFO
// of arrival times (bounded by what is in flight) is enough.
export class CommitLag {
  private arrivals: number[] = [];
  private head = 0;
  /** Milliseconds for the oldest change of the last confirmed batch; null before any. */
  lastMs: number | null = null;

  arrived(at: number): void {
    this.arrivals.push(at);
  }

  committed(changes: number, at: number): void {
    const oldest = this.arrivals[this.head];
    this.head = Math.min(this.arrivals.length, this.head + changes);
    if (oldest !== undefined) this.lastMs = Math.max(0, Math.round(at - oldest));
    if (this.head > 1024 && this.head * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head);
      this.head = 0;
    }
  }

  /** A run ended: what was in flight is redelivered and timed anew. */
  reset(): void {
    this.arrivals = [];
    this.head = 0;
  }
}
