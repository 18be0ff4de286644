// Per-cluster pool counters and per-request connection reuse. `opened` counts the
// Pool's 'connect' events; whether a request rode an already-used connection is
// read from undici's diagnostics channels: `undici:request:create` (published
// synchronously inside `pool.request`/`pool.dispatch`, which ties undici's request object to
// ours) and `undici:client:sendHeaders` (which names the socket it went out on).
import { subscribe } from 'node:diagnostics_channel';

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
  /** Set once the request's headers went out; `undefined` until then. */
  reused: boolean | undefined;

  constructor(
    readonly counters: PoolCounters,
    private readonly openedAtDispatch: number,
  ) {}

  /** Fallback when no socket was observed: no connection opened since dispatch. */
  resolveReused(): boolean {
    return this.reused ?? (this.openedAtDispatch > 0 && this.counters.opened === this.openedAtDispatch);
  }
}

const tags = new WeakMap<object, DispatchTag>();
const usedSockets = new WeakSet<object>();
let pending: DispatchTag | undefined;
let subscribed = false;

function requestOf(message: unknown): object | undefined {
  if (typeof message !== 'object' || message === null || !('request' in message)) return undefined;
  const { request } = message;
  return typeof request === 'object' && request !== null ? request : undefined;
}

function ensureSubscribed(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:request:create', (message) => {
    const request = requestOf(message);
    if (pending !== undefined && request !== undefined) tags.set(request, pending);
  });
  subscribe('undici:client:sendHeaders', (message) => {
    const request = requestOf(message);
    const tag = request === undefined ? undefined : tags.get(request);
    if (tag === undefined || typeof message !== 'object' || message === null || !('socket' in message))
      return;
    const { socket } = message;
    if (typeof socket !== 'object' || socket === null) return;
    tag.reused = usedSockets.has(socket);
    usedSockets.add(socket);
    if (tag.reused) tag.counters.reused += 1;
  });
}

/** Run `dispatch` (which must call `pool.request` or `pool.dispatch` synchronously) with a tag attached to its request. */
export function tagDispatch<T>(counters: PoolCounters, dispatch: () => T): { tag: DispatchTag; result: T } {
  ensureSubscribed();
  const tag = new DispatchTag(counters, counters.opened);
  counters.dispatched += 1;
  pending = tag;
  try {
    return { tag, result: dispatch() };
  } finally {
    pending = undefined;
  }
}
