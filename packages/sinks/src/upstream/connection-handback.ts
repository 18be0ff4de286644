// undici hands an HTTP/1.1 connection (pipelining 1) back to its pool in an
// immediate after the reply ends, to see whether the server closes it first. A
// request dispatched before then finds the connection busy and opens another. So
// a request that follows a finished reply at once waits for that immediate; any
// other request (the usual case: the next one comes from another client, later)
// goes straight out, and the reply itself reaches its caller without waiting.
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

  /** Settles once connections of replies already ended are back; `undefined` when none are out. */
  settled(): Promise<void> | undefined {
    if (!this.#pending) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve));
  }
}
