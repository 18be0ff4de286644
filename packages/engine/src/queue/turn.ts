// One turn at a time between the live loop and a background backfill: whoever
// holds the turn builds its documents and queues them on every lane, so lane
// order is build order and a later (fresher) build always lands last.
export class Turn {
  private tail: Promise<void> = Promise.resolve();

  /** Run `step` once every earlier step finished; its failure does not poison later turns. */
  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
