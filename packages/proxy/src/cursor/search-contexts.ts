// Open search contexts (scrolls and PITs) per tenant. Every open scroll or PIT
// holds one of the cluster's `search.max_open_scroll_context` (500 per node) for
// its keep-alive, so one tenant could refuse everyone's scrolls. The proxy counts
// each tenant's open contexts and refuses a new one past `maxPerTenant` (429
// `too_many_search_contexts`), and refuses a keep-alive longer than `maxKeepAliveMs`
// (400 naming the parameter). A context is released by clear-scroll / PIT close,
// by the end of its scroll (a page with no hits: the proxy clears it upstream), or
// when its keep-alive runs out on the proxy's Clock (each continuation renews it).
// The count is this process's: with N replicas a tenant may hold N × the cap.
// The 429 says when to retry (`retry-after`): when the tenant's soonest context runs
// out by itself, at least 1 s and at most a minute (it may clear one sooner).
import { type Clock, type PartitionId, systemClock } from '@flusso/core';
import { ProxyError } from '../request/proxy-error.js';

export interface SearchContextsOptions {
  /** Open contexts one tenant may hold at once (default 50). */
  readonly maxPerTenant?: number;
  /** Longest `scroll` / `keep_alive` a request may ask for, in ms (default 10 minutes). */
  readonly maxKeepAliveMs?: number;
  readonly clock?: Clock;
}

const UNITS: Readonly<Record<string, number>> = {
  nanos: 1e-6,
  micros: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** An OpenSearch time value (`30s`, `1m`, `500ms`) in ms, or undefined when it is not one. */
export function parseTimeValue(text: string): number | undefined {
  const match = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] as number);
  return Number.isSafeInteger(Math.ceil(ms)) ? Math.ceil(ms) : undefined;
}

/** The longest `retry-after` a 429 names: a tenant may clear one of its contexts sooner. */
const MAX_RETRY_AFTER_SECONDS = 60;

/** One tenant's open contexts: upstream cursor key → when its keep-alive runs out (monotonic ms). */
type Open = Map<string, { expires: number; keepAliveMs: number }>;

export class SearchContexts {
  readonly maxPerTenant: number;
  readonly maxKeepAliveMs: number;
  readonly #clock: Clock;
  readonly #open = new Map<PartitionId, Open>();
  /** Scrolls the proxy ended at their last page, until their keep-alive would have run out. */
  readonly #ended = new Map<string, number>();
  /** Opens dispatched but not answered yet: they count against the cap too. */
  readonly #pending = new Map<PartitionId, number>();

  constructor(options: SearchContextsOptions = {}) {
    this.maxPerTenant = options.maxPerTenant ?? 50;
    this.maxKeepAliveMs = options.maxKeepAliveMs ?? 10 * 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * The keep-alive a request asks for, in ms; 400 `malformed_request` naming the
   * parameter when it is not a time value or is longer than the maximum.
   */
  keepAlive(param: 'scroll' | 'keep_alive', value: unknown): number {
    const ms = typeof value === 'string' ? parseTimeValue(value) : undefined;
    if (ms === undefined) {
      throw new ProxyError('malformed_request', `${param} is not a time value (such as 1m)`, {
        context: { param, rule: 'keep_alive' },
      });
    }
    if (ms > this.maxKeepAliveMs) {
      throw new ProxyError(
        'malformed_request',
        `${param} is longer than the proxy allows (max_context_keep_alive, ${this.maxKeepAliveMs} ms)`,
        { context: { param, rule: 'max_keep_alive', maxMs: this.maxKeepAliveMs } },
      );
    }
    return ms;
  }

  /** Contexts `partition` holds now (expired ones dropped). */
  held(partition: PartitionId): number {
    return this.#live(partition).size + (this.#pending.get(partition) ?? 0);
  }

  /**
   * Reserves a slot for a context about to be opened; 429 `too_many_search_contexts`
   * past the cap. Returns the release of the reservation (call it once the open is answered).
   */
  reserve(partition: PartitionId): () => void {
    if (this.held(partition) >= this.maxPerTenant) {
      throw new ProxyError(
        'too_many_search_contexts',
        'this tenant holds as many open scrolls and PITs as it may',
        {
          context: { partition, max: this.maxPerTenant, retryAfterSeconds: this.#retryAfter(partition) },
        },
      );
    }
    this.#pending.set(partition, (this.#pending.get(partition) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.#pending.get(partition) ?? 1) - 1;
      if (left > 0) this.#pending.set(partition, left);
      else this.#pending.delete(partition);
    };
  }

  /** Records an opened (or renewed) context; `previous` is the key it had, when its id changed. */
  track(partition: PartitionId, key: string, keepAliveMs: number | undefined, previous?: string): void {
    const open = this.#live(partition);
    const before = open.get(previous ?? key);
    if (previous !== undefined && previous !== key) open.delete(previous);
    const ms = keepAliveMs ?? before?.keepAliveMs;
    if (ms === undefined) return;
    open.set(key, { expires: this.#clock.monotonic() + ms, keepAliveMs: ms });
    this.#open.set(partition, open);
  }

  /** Releases a context (cleared, closed or at its scroll's end). */
  release(partition: PartitionId, key: string): void {
    const open = this.#open.get(partition);
    if (open === undefined) return;
    open.delete(key);
    if (open.size === 0) this.#open.delete(partition);
  }

  /** Releases a scroll the proxy cleared at its end; a later clear by the client still succeeds. */
  end(partition: PartitionId, key: string): void {
    const held = this.#open.get(partition)?.get(key);
    this.release(partition, key);
    const now = this.#clock.monotonic();
    for (const [k, until] of this.#ended) if (until <= now) this.#ended.delete(k);
    if (this.#ended.size >= 10_000) this.#ended.clear();
    this.#ended.set(`${partition}\u0000${key}`, now + (held?.keepAliveMs ?? this.maxKeepAliveMs));
  }

  /** Whether the proxy ended this scroll itself (so the cluster no longer knows it). */
  ended(partition: PartitionId, key: string): boolean {
    const until = this.#ended.get(`${partition}\u0000${key}`);
    return until !== undefined && until > this.#clock.monotonic();
  }

  /**
   * Seconds until `partition`'s soonest open context runs out, within [1, 60]; 1 when
   * every slot is an open still in flight (it settles within a request's time).
   */
  #retryAfter(partition: PartitionId): number {
    let soonest = Number.POSITIVE_INFINITY;
    for (const { expires } of this.#live(partition).values()) soonest = Math.min(soonest, expires);
    if (soonest === Number.POSITIVE_INFINITY) return 1;
    const seconds = Math.ceil((soonest - this.#clock.monotonic()) / 1000);
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
  }

  #live(partition: PartitionId): Open {
    const open = this.#open.get(partition);
    if (open === undefined) return new Map();
    const now = this.#clock.monotonic();
    for (const [key, { expires }] of open) if (expires <= now) open.delete(key);
    if (open.size === 0) this.#open.delete(partition);
    return open;
  }
}

/** The key of an upstream cursor on its cluster. */
export function contextKey(cluster: string, cursor: string): string {
  return `${cluster}\u0000${cursor}`;
}
