// undici hands an HTTP/1.1 connection (pipelining 1) back to its pool in an
// immediate after the reply ends, to see whether the server closes it first. A
// request dispatched before then, with every other connection busy, opens another.
// So such a request (a caller's next one right after its reply) waits for that
// immediate; any other goes straight out: the usual case at low load (the next
// request comes later) and at high load (another connection is free). The reply
// itself reaches its caller without waiting.
export class ConnectionHandback {
  #pending = false;
  readonly #back = () => {
    this.#pending = false;
  };

  /**
   * A reply has ended (called from its handler, before undici schedules its own
   * immediate: ours runs first, and no request can be sent between the two). One
   * immediate covers every reply that ends before it runs.
   */
  ended(): void {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(this.#back);
  }

  /**
   * Settles once connections of replies already ended are back; `undefined` when none
   * are out, or when the pool has an idle connection (its stats are read only then).
   */
  settled(pool: { readonly stats: { readonly free: number } }): Promise<void> | undefined {
    if (!this.#pending || pool.stats.free > 0) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve));
  }
}
