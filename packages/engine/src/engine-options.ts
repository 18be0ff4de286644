// Everything an Engine is built from. Parts are interfaces; the daemon picks them.

import type { ChangeCapture, DocumentBuilder, Sink } from '@flusso/core';
import {
  type BackoffPolicy,
  type Clock,
  type FailurePolicies,
  stopOnFailure,
  systemClock,
} from '@flusso/core';
import type { DeadLetterStore } from './dead-letters/dead-letter-store.js';
import { type BatchPolicy, defaultBatchPolicy } from './ingest/batch-policy.js';
import type { OnFull } from './lane/sink-lane.js';
import { noopObserver, type Observer } from './observer/observer.js';

export interface EngineOptions {
  readonly capture: ChangeCapture;
  readonly builder: DocumentBuilder;
  readonly sinks: readonly Sink[];
  readonly observer?: Observer;
  readonly batch?: BatchPolicy;
  readonly policies?: FailurePolicies;
  readonly clock?: Clock;
  /** Retries of a transient flush failure before the run stops. */
  readonly backoff?: BackoffPolicy;
  /** Skip the initial backfill even for unseeded indexes. */
  readonly skipBackfill?: boolean;
  /** Changes buffered between capture and ingest. */
  readonly queueCapacity?: number;
  /** Batches buffered per lane before ingest waits for that sink. */
  readonly laneCapacity?: number;
  /**
   * Live batches building at once: the next batch's query runs while the current one's
   * rows are read. Batches are still queued on the lanes in order. 1 builds one at a time.
   */
  readonly buildsAhead?: number;
  readonly snapshotPageSize?: number;
  /** Where documents rejected under `skip` are recorded before their batch is acked. */
  readonly deadLetters?: DeadLetterStore | null;
  /** Per sink name: what a full lane does with a live batch (default `block`). */
  readonly onFull?: Readonly<Record<string, OnFull>>;
}

export type ResolvedEngineOptions = Required<EngineOptions>;

/** Sink outages of ~30 s are ridden out before the run gives up. */
export const engineBackoff: BackoffPolicy = { initialMs: 100, maxMs: 5_000, factor: 2, maxRetries: 12 };

export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  const names = new Set(options.sinks.map((s) => s.name));
  if (names.size !== options.sinks.length) throw new RangeError('sink names must be unique');
  if (options.buildsAhead !== undefined && !(options.buildsAhead >= 1))
    throw new RangeError('buildsAhead must be at least 1');
  return {
    observer: noopObserver,
    batch: defaultBatchPolicy,
    policies: stopOnFailure,
    clock: systemClock,
    backoff: engineBackoff,
    skipBackfill: false,
    queueCapacity: 4096,
    laneCapacity: 8,
    buildsAhead: 2,
    snapshotPageSize: 1000,
    deadLetters: null,
    onFull: {},
    ...options,
  };
}
