// The watermark: the lowest batch ticket every lane has acknowledged. Only a batch
// at or below it is released (its changes acked to the source), in ticket order,
// so nothing is confirmed before it is durable in every sink.

export class Watermark {
  private readonly acked = new Map<string, number>();
  private readonly pending: Array<{ ticket: number; release: () => void }> = [];
  private lastTicket = 0;

  constructor(lanes: readonly string[]) {
    for (const lane of lanes) this.acked.set(lane, 0);
  }

  /** A new ticket (increasing), whose `release` runs once every lane acked it. */
  register(release: () => void): number {
    this.lastTicket += 1;
    this.pending.push({ ticket: this.lastTicket, release });
    if (this.acked.size === 0) this.releaseUpTo(this.lastTicket);
    return this.lastTicket;
  }

  /** Lane `lane` made everything up to `ticket` durable. */
  ack(lane: string, ticket: number): void {
    const previous = this.acked.get(lane);
    if (previous === undefined) throw new RangeError(`unknown lane ${lane}`);
    if (ticket <= previous) return;
    this.acked.set(lane, ticket);
    this.releaseUpTo(this.position);
  }

  /** The highest ticket acknowledged by every lane. */
  get position(): number {
    let low = Number.POSITIVE_INFINITY;
    for (const t of this.acked.values()) low = Math.min(low, t);
    return low === Number.POSITIVE_INFINITY ? this.lastTicket : low;
  }

  /** Tickets registered but not yet released. */
  get inFlight(): number {
    return this.pending.length;
  }

  private releaseUpTo(position: number): void {
    while (this.pending.length > 0 && (this.pending[0]?.ticket ?? Number.POSITIVE_INFINITY) <= position) {
      this.pending.shift()?.release();
    }
  }
}
