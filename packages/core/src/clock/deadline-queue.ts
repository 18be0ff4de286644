// The deadlines of in-flight upstream requests that share one timeout, under one
// timer. Requests that share a timeout fall due in the order they began, so a list
// in that order is also the order of expiry: adding appends, finishing unlinks,
// and the timer only ever looks at the head. A Node timer per request costs a
// timer list and a heap entry made and dropped each time (when requests do not
// overlap) and two ref-count calls into the binding; this costs two links.

/** Something with a deadline; the queue links it in place (no node allocated per request). */
export abstract class Due {
  /** `performance.now()` at which it expires. */
  dueAt = 0;
  prevDue: Due | undefined = undefined;
  nextDue: Due | undefined = undefined;
  queued = false;

  /** Called once, when the deadline passes while still queued. */
  abstract expire(): void;
}

export class DeadlineQueue {
  #head: Due | undefined;
  #tail: Due | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire = () => this.#expireDue();

  constructor(readonly timeoutMs: number) {}

  /** Starts `entry`'s deadline: it expires `timeoutMs` from now unless removed first. */
  add(entry: Due): void {
    entry.dueAt = performance.now() + this.timeoutMs;
    entry.queued = true;
    entry.nextDue = undefined;
    entry.prevDue = this.#tail;
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.nextDue = entry;
    this.#tail = entry;
    if (this.#timer === undefined) this.#arm(this.timeoutMs);
  }

  /** Ends `entry`'s deadline (no-op when it expired or was removed already). */
  remove(entry: Due): void {
    if (!entry.queued) return;
    entry.queued = false;
    const { prevDue, nextDue } = entry;
    if (prevDue === undefined) this.#head = nextDue;
    else prevDue.nextDue = nextDue;
    if (nextDue === undefined) this.#tail = prevDue;
    else nextDue.prevDue = prevDue;
    entry.prevDue = undefined;
    entry.nextDue = undefined;
    // The timer is left armed: when it fires with nothing due it re-arms for the new head.
  }

  /** Entries still waiting (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (let e = this.#head; e !== undefined; e = e.nextDue) n += 1;
    return n;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(1, Math.ceil(ms)));
    this.#timer.unref();
  }

  #expireDue(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let head = this.#head; head !== undefined && head.dueAt <= now; head = this.#head) {
      this.remove(head);
      head.expire();
    }
    if (this.#head !== undefined) this.#arm(this.#head.dueAt - now);
  }
}
