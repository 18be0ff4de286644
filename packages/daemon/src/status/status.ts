// The daemon's observable state: one instance per process, kept across pipeline
// restarts (reindex, retries), read by /status, /readyz and metrics.
import type { Clock, IndexName } from '@flusso/core';
import type { DeadLetterCount } from '../dead-letters/dead-letter-book.js';
import { CommitLag } from './commit-lag.js';

export type Phase = 'starting' | 'backfilling' | 'live' | 'stopped';
export type IndexState = 'pending' | 'backfilling' | 'seeded';
export type SinkHealth = 'ok' | 'retrying';

export interface BackfillProgress {
  readonly rows_done: number;
  readonly rows_total: number | null;
  readonly rows_per_second: number;
  readonly eta_seconds: number | null;
}

/** The `/status` JSON document. */
export interface StatusSnapshot {
  readonly phase: Phase;
  readonly uptime_seconds: number;
  readonly indexes: Readonly<Record<string, IndexState>>;
  readonly changes_captured: number;
  readonly changes_committed: number;
  readonly changes_in_flight: number;
  readonly documents_built: number;
  readonly documents_quarantined: number;
  readonly batches: number;
  readonly last_flush_micros: number | null;
  readonly slot_lag_bytes: number | null;
  /** Arrival to confirmation of the last confirmed batch's oldest change; null before any. */
  readonly end_to_end_lag_ms: number | null;
  readonly errors: number;
  readonly last_error: string | null;
  readonly sinks: Readonly<Record<string, SinkHealth>>;
  readonly backfill: Readonly<Record<string, BackfillProgress>>;
  /** Documents waiting in the dead-letter store; null until first counted. */
  readonly dead_letters: DeadLetterSummary | null;
  /** Live batches each `on_full = "drop"` sink dropped. */
  readonly dropped_batches: Readonly<Record<string, number>>;
}

export interface DeadLetterSummary {
  readonly total: number;
  readonly by_index: Readonly<Record<string, number>>;
  readonly by_sink: Readonly<Record<string, number>>;
}

function summarize(counts: readonly DeadLetterCount[]): DeadLetterSummary {
  const byIndex: Record<string, number> = {};
  const bySink: Record<string, number> = {};
  let total = 0;
  for (const c of counts) {
    total += c.count;
    byIndex[c.index] = (byIndex[c.index] ?? 0) + c.count;
    bySink[c.sink] = (bySink[c.sink] ?? 0) + c.count;
  }
  return { total, by_index: byIndex, by_sink: bySink };
}

interface BackfillClock {
  started: number;
  rowsDone: number;
  rowsTotal: number | null;
}

export class Status {
  phase: Phase = 'starting';
  readonly indexes = new Map<string, IndexState>();
  readonly sinks = new Map<string, SinkHealth>();
  changesCaptured = 0;
  changesCommitted = 0;
  /** Captured in this run attempt and not yet committed; a restart redelivers (and recounts) them. */
  changesInFlight = 0;
  documentsBuilt = 0;
  documentsQuarantined = 0;
  batches = 0;
  lastFlushMicros: number | null = null;
  slotLagBytes: number | null = null;
  errors = 0;
  lastError: string | null = null;
  deadLetters: readonly DeadLetterCount[] | null = null;
  readonly droppedBatches = new Map<string, number>();
  readonly commitLag = new CommitLag();
  private readonly backfills = new Map<string, BackfillClock>();
  private readonly startedAt: number;

  constructor(
    indexes: readonly IndexName[],
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.monotonic();
    for (const index of indexes) this.indexes.set(index, 'pending');
  }

  /** Monotonic milliseconds of the status clock. */
  now(): number {
    return this.clock.monotonic();
  }

  /** Ready = serving current data: backfilling or live, with no sink in retry. */
  get ready(): boolean {
    const healthy = [...this.sinks.values()].every((h) => h === 'ok');
    return (this.phase === 'backfilling' || this.phase === 'live') && healthy;
  }

  backfillStarted(index: IndexName, rowsTotal: number | null): void {
    this.backfills.set(index, { started: this.clock.monotonic(), rowsDone: 0, rowsTotal });
  }

  backfillProgress(index: IndexName, rowsDone: number): void {
    const b = this.backfills.get(index);
    if (b) b.rowsDone = rowsDone;
  }

  backfillFinished(index: IndexName): void {
    this.backfills.delete(index);
  }

  /** Live (again): every index is seeded and no backfill is in progress. */
  goLive(): void {
    this.phase = 'live';
    this.backfills.clear();
    for (const index of this.indexes.keys()) this.indexes.set(index, 'seeded');
  }

  /** Backfills (initial, reindex or rebuild) still running in this pipeline. */
  get backfilling(): number {
    return this.backfills.size;
  }

  progressOf(index: string): BackfillProgress | null {
    const b = this.backfills.get(index);
    if (!b) return null;
    const seconds = Math.max(0.001, (this.clock.monotonic() - b.started) / 1000);
    const rate = b.rowsDone / seconds;
    // A planner estimate below what is already done (a table never analyzed) is no estimate.
    const total = b.rowsTotal !== null && b.rowsTotal > 0 && b.rowsTotal >= b.rowsDone ? b.rowsTotal : null;
    const remaining = total === null ? null : total - b.rowsDone;
    return {
      rows_done: b.rowsDone,
      rows_total: total,
      rows_per_second: Math.round(rate),
      eta_seconds: remaining === null || rate === 0 ? null : Math.round(remaining / rate),
    };
  }

  snapshot(): StatusSnapshot {
    const backfill: Record<string, BackfillProgress> = {};
    for (const index of this.backfills.keys()) {
      const p = this.progressOf(index);
      if (p) backfill[index] = p;
    }
    return {
      phase: this.phase,
      uptime_seconds: Math.floor((this.clock.monotonic() - this.startedAt) / 1000),
      indexes: Object.fromEntries(this.indexes),
      changes_captured: this.changesCaptured,
      changes_committed: this.changesCommitted,
      changes_in_flight: this.changesInFlight,
      documents_built: this.documentsBuilt,
      documents_quarantined: this.documentsQuarantined,
      batches: this.batches,
      last_flush_micros: this.lastFlushMicros,
      slot_lag_bytes: this.slotLagBytes,
      end_to_end_lag_ms: this.commitLag.lastMs,
      errors: this.errors,
      last_error: this.lastError,
      sinks: Object.fromEntries(this.sinks),
      backfill,
      dead_letters: this.deadLetters === null ? null : summarize(this.deadLetters),
      dropped_batches: Object.fromEntries(this.droppedBatches),
    };
  }
}
