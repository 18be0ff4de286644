// undici hands an HTTP/1.1 connection (pipelining 1) back to its pool one event
// loop turn after the reply ends, to see whether the server closes it. A request
// dispatched before then finds every connection busy and opens another. So a
// request that follows a finished reply at once waits for that turn; any other
// request (the usual case: the next one comes from another client later) goes
// straight out, and the reply itself reaches its caller without waiting.
export class ConnectionHandback {
  #outstanding = 0;
  readonly #back = () => {
    this.#outstanding -= 1;
  };
  // Queued from a microtask, after the reply's callback: undici's own immediate comes first.
  readonly #schedule = () => {
    setImmediate(this.#back);
  };

  /** A reply has ended; its connection returns to the pool in a later immediate. */
  ended(): void {
    this.#outstanding += 1;
    queueMicrotask(this.#schedule);
  }

  /** Settles once connections of replies already ended are back; `undefined` when none are out. */
  settled(): Promise<void> | undefined {
    if (this.#outstanding === 0) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve));
  }
}
