// undici hands an HTTP/1.1 connection (pipelining 1) back to its pool in an
// immediate after the reply ends, to see whether the server closes it first. A
// request dispatched before then finds that connection busy and opens another.
// When the upstream continues a reply at once (it is otherwise idle), a request
// sent before that immediate (a caller's next one, right after its reply) waits
// for it here.
export class ConnectionHandback {
  #pending = false;
  readonly #back = () => {
    this.#pending = false;
  };

  /**
   * A reply was handed to its caller before its connection is back. Called after
   * undici scheduled its own immediate, so ours runs after it; one covers every
   * reply that ends before it runs.
   */
  ended(): void {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(this.#back);
  }

  /** Settles once connections of replies already handed over are back; `undefined` when none are out. */
  settled(): Promise<void> | undefined {
    if (!this.#pending) return undefined;
    return new Promise<void>((resolve) => setImmediate(resolve));
  }
}
