// The daemon: builds the pipeline from a compiled config through the Backends
// seam, drives a Status through a StatusObserver, polls slot lag, and exposes
// reindex as a control message. It owns no HTTP, signals or metrics exporter.

import type { ChangeCapture, Sink } from '@flusso/core';
import { type Clock, type FailurePolicies, type IndexName, parseIndexName, systemClock } from '@flusso/core';
import {
  type BatchPolicy,
  Engine,
  fanOutObservers,
  liveBatchPolicy,
  type Observer,
  type OnFull,
} from '@flusso/engine';
import type { Backends, CaptureSettings } from './backends.js';
import type { SinkConfig } from './config/config-schema.js';
import { pollDeadLetterCounts } from './dead-letters/count-poller.js';
import type { DeadLetterBook, DeadLetterCount } from './dead-letters/dead-letter-book.js';
import { pollLag } from './lag/lag-poller.js';
import type { FlussoLock } from './lock/lock.js';
import type { ReindexJournal } from './reindex/reindex-journal.js';
import { Status } from './status/status.js';
import { type DaemonObserver, statusObserver } from './status/status-observer.js';

export interface DaemonOptions extends Partial<CaptureSettings> {
  readonly skipBackfill?: boolean;
  readonly queueCapacity?: number;
  readonly batch?: BatchPolicy;
  /** Pretty-print the stdout fallback sink (used when no sink is configured). */
  readonly pretty?: boolean;
  readonly lagPollIntervalMs?: number;
  readonly clock?: Clock;
  readonly observers?: readonly DaemonObserver[];
  /** One status for the process lifetime, kept across restarts. */
  readonly status?: Status;
}

export function enabledIndexes(lock: FlussoLock): IndexName[] {
  return lock.indexes.filter((i) => i.enabled).map((i) => parseIndexName(i.name));
}

export function failurePolicies(lock: FlussoLock): FailurePolicies {
  const perIndex: Record<string, 'stop' | 'skip'> = {};
  for (const i of lock.indexes) if (i.on_error) perIndex[i.name] = i.on_error;
  return { default: lock.config.on_error, perIndex };
}

/** The configured sinks, or the stdout fallback when none is configured. */
export function configuredSinks(lock: FlussoLock, pretty = false): [string, SinkConfig][] {
  const sinks = Object.entries(lock.config.sinks);
  return sinks.length > 0 ? sinks : [['stdout', { type: 'stdout', pretty, on_full: 'block' }]];
}

function skipsAny(lock: FlussoLock): boolean {
  const policies = failurePolicies(lock);
  return policies.default === 'skip' || Object.values(policies.perIndex).includes('skip');
}

function onFullBySink(lock: FlussoLock): Record<string, OnFull> {
  return Object.fromEntries(configuredSinks(lock).map(([name, config]) => [name, config.on_full]));
}

export class Daemon {
  constructor(
    private readonly lock: FlussoLock,
    private readonly backends: Backends,
    private readonly options: DaemonOptions = {},
  ) {}

  async start(): Promise<RunningDaemon> {
    const clock = this.options.clock ?? systemClock;
    const status = this.options.status ?? new Status(enabledIndexes(this.lock), clock);
    const settings: CaptureSettings = {
      slot: this.options.slot ?? 'flusso',
      publication: this.options.publication ?? 'flusso',
      managePublication: this.options.managePublication ?? this.lock.config.source.manage_publication,
    };
    const capture = await this.backends.capture(this.lock, settings);
    const builder = await this.backends.builder(this.lock);
    const sinks: Sink[] = [];
    for (const [name, config] of configuredSinks(this.lock, this.options.pretty ?? false)) {
      sinks.push(await this.backends.sink(name, config, this.lock));
    }
    // Only `skip` writes dead letters: a stop-only config needs no store (nor the right to create it).
    const deadLetters = skipsAny(this.lock) ? ((await this.backends.deadLetters?.(this.lock)) ?? null) : null;
    const reindexJournal = (await this.backends.reindexJournal?.(this.lock, settings)) ?? null;
    const observers = [statusObserver(status), ...(this.options.observers ?? [])];
    const observer = fanOutObservers(...observers);
    const engine = new Engine({
      capture,
      builder,
      sinks,
      observer,
      clock,
      policies: failurePolicies(this.lock),
      deadLetters,
      onFull: onFullBySink(this.lock),
      batch: this.options.batch ?? liveBatchPolicy,
      ...(this.options.queueCapacity ? { queueCapacity: this.options.queueCapacity } : {}),
      skipBackfill: this.options.skipBackfill ?? false,
    });
    const onLag = (bytes: number) => {
      for (const o of observers) o.onSlotLag?.(bytes);
    };
    const onDeadLetterCounts = (counts: readonly DeadLetterCount[]) => {
      for (const o of observers) o.onDeadLetterCounts?.(counts);
    };
    return new RunningDaemon({
      engine,
      capture,
      sinks,
      status,
      clock,
      onLag,
      deadLetters,
      onDeadLetterCounts,
      reindexJournal,
      lagPollIntervalMs: this.options.lagPollIntervalMs ?? 15_000,
    });
  }
}

interface RunningParts {
  readonly engine: Engine;
  readonly capture: ChangeCapture;
  readonly sinks: readonly Sink[];
  readonly status: Status;
  readonly clock: Clock;
  readonly onLag: (bytes: number) => void;
  readonly deadLetters: DeadLetterBook | null;
  readonly onDeadLetterCounts: (counts: readonly DeadLetterCount[]) => void;
  readonly reindexJournal: ReindexJournal | null;
  readonly lagPollIntervalMs: number;
}

export class RunningDaemon {
  constructor(private readonly parts: RunningParts) {}

  get status(): Status {
    return this.parts.status;
  }

  /**
   * Rebuild one index into a new generation in every sink, without a restart.
   * With a journal the request is recorded first and removed after the swap, so
   * a process that dies mid-reindex runs it again on its next start.
   */
  reindex(index: IndexName): Promise<void> {
    const journal = this.parts.reindexJournal;
    if (!journal || !this.parts.status.indexes.has(index)) return this.parts.engine.reindex(index);
    return journal
      .requested(index)
      .then(() => this.parts.engine.reindex(index))
      .then(() => journal.finished(index));
  }

  /** Queue the reindexes a previous run left unfinished; they start once live. */
  private async resumeReindexes(): Promise<void> {
    const journal = this.parts.reindexJournal;
    if (!journal) return;
    for (const index of await journal.pending()) {
      // Unknown now (the index was removed from the config): nothing to resume.
      if (!this.parts.status.indexes.has(index)) {
        await journal.finished(index);
        continue;
      }
      // A failure fails the run itself (and the request stays for the next one).
      this.parts.engine.reindex(index).then(
        () => journal.finished(index).catch(() => undefined),
        () => undefined,
      );
    }
  }

  /** Run until the stream ends or `signal` aborts; always releases the source and sinks. */
  async run(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const lagStop = new AbortController();
    const lag = pollLag(this.parts.capture, this.parts.onLag, {
      clock: this.parts.clock,
      intervalMs: this.parts.lagPollIntervalMs,
      signal: lagStop.signal,
    });
    const book = this.parts.deadLetters;
    const counts = book
      ? pollDeadLetterCounts(book, this.parts.onDeadLetterCounts, {
          clock: this.parts.clock,
          intervalMs: this.parts.lagPollIntervalMs,
          signal: lagStop.signal,
        })
      : Promise.resolve();
    try {
      await this.resumeReindexes();
      await this.parts.engine.run(signal);
    } finally {
      lagStop.abort();
      await lag;
      await counts;
      await book?.close().catch(() => undefined);
      await this.parts.reindexJournal?.close().catch(() => undefined);
      await this.parts.capture.close().catch(() => undefined);
      for (const sink of this.parts.sinks) await sink.close().catch(() => undefined);
      this.parts.status.phase = 'stopped';
    }
  }
}

export type { Observer };
