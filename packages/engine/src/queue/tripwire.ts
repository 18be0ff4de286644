// A rare event (a failure, a shutdown) that many awaits race against. Each
// `Promise.race([work, rare])` leaves a reaction on `rare` that holds the race's
// own promise, settled with `work`'s value, until `rare` settles: for a daemon's
// lifetime. Raced once per live batch, that kept every batch's changes reachable
// (measured: ~45 MiB of heap after 50 000 changes, growing without bound). A
// Tripwire keeps one reaction on the event and forgets each racer once it settles.

type Racer = { resolve: (value: never) => void; reject: (error: unknown) => void };

export class Tripwire<T = never> {
  private readonly racers = new Set<Racer>();
  private outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;

  constructor(event: Promise<T>) {
    event.then(
      (value) => this.settle({ ok: true, value }),
      (error: unknown) => this.settle({ ok: false, error }),
    );
  }

  /** A trip on `signal`'s abort (resolves, never rejects). */
  static onAbort(signal: AbortSignal): Tripwire<void> {
    return new Tripwire(
      new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    );
  }

  /** Settles as `work` does, or as the event does if it comes first: `Promise.race([work, event])`. */
  race<U>(work: Promise<U>): Promise<T | U> {
    const outcome = this.outcome;
    if (outcome !== undefined) return Promise.race([work, settled(outcome)]);
    return new Promise<T | U>((resolve, reject) => {
      const racer: Racer = { resolve: resolve as (value: never) => void, reject };
      this.racers.add(racer);
      work.then(
        (value) => {
          this.racers.delete(racer);
          resolve(value);
        },
        (error: unknown) => {
          this.racers.delete(racer);
          reject(error);
        },
      );
    });
  }

  private settle(outcome: NonNullable<Tripwire<T>['outcome']>): void {
    this.outcome = outcome;
    for (const racer of this.racers) {
      if (outcome.ok) racer.resolve(outcome.value as never);
      else racer.reject(outcome.error);
    }
    this.racers.clear();
  }
}

function settled<T>(outcome: { ok: true; value: T } | { ok: false; error: unknown }): Promise<T> {
  return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
}
