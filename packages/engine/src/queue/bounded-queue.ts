// A bounded async FIFO: `push` waits while full (back-pressure), `take` waits
// while empty, `close` lets readers drain what is left and then see the end.

export const queueEnd: unique symbol = Symbol('queue-end');
export type QueueEnd = typeof queueEnd;

export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private readonly itemWaiters: Array<() => void> = [];
  private closedFlag = false;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new RangeError('queue capacity must be at least 1');
  }

  get size(): number {
    return this.items.length;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Adds `item` at once when there is room and the queue is open; false otherwise (then
   * `push` waits). The pump's path per change: no promise while the queue has room.
   */
  tryPush(item: T): boolean {
    if (this.closedFlag || this.items.length >= this.capacity) return false;
    this.items.push(item);
    this.wake(this.itemWaiters);
    return true;
  }

  /** Waits for space; returns false (dropping nothing it accepted) once closed. */
  async push(item: T): Promise<boolean> {
    while (this.items.length >= this.capacity && !this.closedFlag) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.closedFlag) return false;
    this.items.push(item);
    this.wake(this.itemWaiters);
    return true;
  }

  /** The next item, waiting if empty; `queueEnd` once closed and drained. */
  async take(): Promise<T | QueueEnd> {
    for (;;) {
      const item = this.tryTake();
      if (item !== queueEnd) return item;
      if (this.closedFlag) return queueEnd;
      await this.waitForItem();
    }
  }

  /** The next item if one is ready, else `queueEnd` (check `closed` to tell them apart). */
  tryTake(): T | QueueEnd {
    if (this.items.length === 0) return queueEnd;
    const item = this.items.shift() as T;
    this.wake(this.spaceWaiters);
    return item;
  }

  /** Resolves when an item is available or the queue closes. */
  waitForItem(): Promise<void> {
    if (this.items.length > 0 || this.closedFlag) return Promise.resolve();
    return new Promise<void>((resolve) => this.itemWaiters.push(resolve));
  }

  close(): void {
    this.closedFlag = true;
    this.wake(this.itemWaiters);
    this.wake(this.spaceWaiters);
  }

  private wake(waiters: Array<() => void>): void {
    if (waiters.length === 0) return; // the common case, without a spliced copy per item
    for (const w of waiters.splice(0)) w();
  }
}
