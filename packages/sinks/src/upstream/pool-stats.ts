// Per-cluster pool counters and per-request connection reuse. `opened` counts the
// Pool's 'connect' events. Each client of the pool (one connection) counts the
// requests handed to it since its connection opened, so a request learns, when it
// is handed over, whether it rides a connection that already carried one. No
// diagnostics-channel subscription: with a subscriber, undici builds and publishes
// a message object per request, and matching them cost two weak-map lookups each.
import type { Dispatcher, Client as UndiciClient } from 'undici';
import { Client } from './lean-pool.js';

export interface PoolStats {
  /** Connections the cluster's pool opened (h1 sockets or h2 sessions). */
  readonly opened: number;
  /** Requests handed to the pool. */
  readonly dispatched: number;
  /** Requests sent on a connection that had already carried one. */
  readonly reused: number;
}

export class PoolCounters {
  opened = 0;
  dispatched = 0;
  reused = 0;

  snapshot(): PoolStats {
    return { opened: this.opened, dispatched: this.dispatched, reused: this.reused };
  }
}

/** One dispatch: learns which connection carried it. */
export class DispatchTag {
  /** Set when a client took the request; `undefined` while it waits in the pool's queue. */
  reused: boolean | undefined;

  constructor(
    readonly counters: PoolCounters,
    private readonly openedAtDispatch: number,
  ) {}

  /** Fallback when the request was queued: no connection opened since dispatch. */
  resolveReused(): boolean {
    return this.reused ?? (this.openedAtDispatch > 0 && this.counters.opened === this.openedAtDispatch);
  }
}

// The tag of the dispatch under way: a pool hands a request to a free client synchronously.
let pending: DispatchTag | undefined;

/**
 * undici's Client (one connection of a Pool) that counts the requests handed to it
 * since its connection opened. Made by the pool's `factory`.
 */
export class CountingClient extends Client {
  #open = false;
  #carried = 0;

  constructor(
    origin: string | URL,
    options: UndiciClient.Options,
    private readonly counters: PoolCounters,
  ) {
    super(origin, options);
    this.on('connect', () => {
      this.#open = true;
    });
    this.on('disconnect', () => {
      this.#open = false;
      this.#carried = 0;
    });
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const reused = this.#open && this.#carried > 0;
    this.#carried += 1;
    if (reused) this.counters.reused += 1;
    const tag = pending;
    if (tag !== undefined) {
      pending = undefined;
      tag.reused = reused;
    }
    return super.dispatch(options, handler);
  }
}

/** Run `dispatch` (which must call `pool.request` or `pool.dispatch` synchronously) with a tag attached to its request. */
export function tagDispatch<T>(counters: PoolCounters, dispatch: () => T): { tag: DispatchTag; result: T } {
  const tag = new DispatchTag(counters, counters.opened);
  counters.dispatched += 1;
  pending = tag;
  try {
    return { tag, result: dispatch() };
  } finally {
    pending = undefined;
  }
}
