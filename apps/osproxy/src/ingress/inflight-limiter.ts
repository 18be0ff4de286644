// Caps the bytes of request bodies being processed at once; past the cap a
// request is refused with 429 and a retry-after instead of queuing unbounded.
export class InflightLimiter {
  private inflight = 0;

  constructor(private readonly maxBytes: number) {}

  /** Reserve `bytes`; false when that would exceed the cap. A lone request always fits. */
  tryAcquire(bytes: number): boolean {
    if (this.inflight > 0 && this.inflight + bytes > this.maxBytes) return false;
    this.inflight += bytes;
    return true;
  }

  release(bytes: number): void {
    this.inflight = Math.max(0, this.inflight - bytes);
  }

  get bytes(): number {
    return this.inflight;
  }
}
