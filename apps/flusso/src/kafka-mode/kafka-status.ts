// What a Kafka-mode process shows on its HTTP surface: the daemon's Status (phase,
// indexes, counters, slot lag, dead letters), driven by the same observer events
// as the one-process engine, plus what only this mode has: the capture's acked
// and confirmed LSN and records produced, a worker's committed offset, lag and
// documents written per partition. Metrics: the shared registry (telemetry/
// metrics.ts) plus the Kafka ones of the roles this process runs.
import { type Clock, type IndexName, systemClock } from '@flusso/core';
import { type DaemonObserver, Status, statusObserver } from '@flusso/daemon';
import { fanOutObservers } from '@flusso/engine';
import { Counter, Gauge } from 'prom-client';
import { createMetrics, type FlussoMetrics } from '../telemetry/metrics.js';
import { RoleHealth, type RoleHealthDetails, type RoleName } from './role-health.js';

export type KafkaRole = 'capture' | 'worker' | 'all';

export interface PartitionProgress {
  /** The next offset the group reads on this partition (everything before it is flushed). */
  readonly committed_offset: string;
  /** Records past the last committed batch when it was fetched. */
  readonly lag: number;
  readonly records: number;
  readonly documents_written: number;
}

export interface CaptureDetails {
  /** Highest commit end LSN whose batch the broker acknowledged (then acked to the source). */
  readonly acked_lsn: string | null;
  /** The slot's `confirmed_flush_lsn` as Postgres reports it. */
  readonly confirmed_lsn: string | null;
  readonly records_produced: number;
}

export interface WorkerDetails {
  readonly group: string;
  readonly topic: string;
  readonly records_consumed: number;
  readonly documents_written: number;
  readonly partitions: Readonly<Record<string, PartitionProgress>>;
  /** The whole group's progress over the topic, as last sampled (worker-only processes); null before. */
  readonly group_progress: GroupProgressDetails | null;
}

export interface GroupProgressDetails {
  /** Records in the topic (every partition). */
  readonly topic_records: number;
  /** Of those, records the group committed (flushed by some member). */
  readonly committed_records: number;
  /** Records no member has committed yet. */
  readonly pending_records: number;
}

/** The `kafka` member of `/status` in Kafka mode. */
export interface KafkaDetails {
  readonly mode: 'kafka';
  readonly role: KafkaRole;
  /** Each role this process runs: running, or restarting after a failure. */
  readonly roles: Readonly<Partial<Record<RoleName, RoleHealthDetails>>>;
  readonly capture?: CaptureDetails;
  readonly worker?: WorkerDetails;
}

interface MutableCapture {
  ackedLsn: string | null;
  confirmedLsn: string | null;
  produced: number;
}

export class KafkaStatus {
  readonly status: Status;
  readonly metrics: FlussoMetrics;
  /** Status and metrics, fed by both roles. */
  readonly observer: DaemonObserver;
  private readonly capture: MutableCapture = { ackedLsn: null, confirmedLsn: null, produced: 0 };
  private readonly partitions = new Map<number, PartitionProgress>();
  private consumed = 0;
  private group: GroupProgressDetails | null = null;
  private readonly health: RoleHealth;
  /** The capture went live in its current run (a restored phase is `live`, not `starting`). */
  private captureLive = false;
  private written = 0;
  private readonly produced?: Counter;
  private readonly consumedTotal?: Counter;
  private readonly committedOffset?: Gauge;
  private readonly rebuilt: Counter;
  private readonly superseded: Counter;
  private readonly partitionLag?: Gauge;

  constructor(
    readonly role: KafkaRole,
    indexes: readonly IndexName[],
    private readonly worker: { readonly group: string; readonly topic: string },
    clock: Clock = systemClock,
  ) {
    this.status = new Status(indexes, clock);
    this.metrics = createMetrics();
    const observers = [statusObserver(this.status), this.metrics.observer];
    // The engine's fan-out carries engine events; the two daemon samples are forwarded here.
    this.health = new RoleHealth(role);
    const fanned = fanOutObservers(...observers);
    // While a role is down the phase stays `stopped`, whatever the other role reports.
    const holding = <A extends unknown[]>(event: ((...args: A) => void) | undefined) => {
      return (...args: A) => {
        event?.(...args);
        if (this.health.anyDown) this.status.phase = 'stopped';
      };
    };
    this.observer = {
      ...fanned,
      onIndexesEnsured: holding(fanned.onIndexesEnsured),
      onBackfillStarted: holding(fanned.onBackfillStarted),
      onBackfillFinished: holding(fanned.onBackfillFinished),
      onLiveStarted: holding(() => {
        this.captureLive = true;
        fanned.onLiveStarted?.();
      }),
      onSlotLag: (bytes) => {
        for (const o of observers) o.onSlotLag?.(bytes);
      },
      onDeadLetterCounts: (counts) => {
        for (const o of observers) o.onDeadLetterCounts?.(counts);
      },
    };
    const registers = [this.metrics.registry];
    this.rebuilt = new Counter({
      name: 'flusso_kafka_stale_builds_rebuilt_total',
      help: 'Documents rebuilt from current rows because their build was too old to write safely (index.gc_deletes)',
      labelNames: ['index'],
      registers,
    });
    this.superseded = new Counter({
      name: 'flusso_kafka_generation_writes_dropped_total',
      help: 'Writes dropped as superseded because their generation was dropped by a reindex',
      labelNames: ['index'],
      registers,
    });
    if (role !== 'worker')
      this.produced = new Counter({
        name: 'flusso_kafka_records_produced_total',
        help: 'Records the capture role produced to the change topic (acknowledged by the broker)',
        registers,
      });
    if (role !== 'capture') {
      this.consumedTotal = new Counter({
        name: 'flusso_kafka_records_consumed_total',
        help: 'Change topic records a worker flushed and committed',
        registers,
      });
      this.committedOffset = new Gauge({
        name: 'flusso_kafka_committed_offset',
        help: 'Next offset the consumer group reads, per partition this worker committed',
        labelNames: ['topic', 'partition'],
        registers,
      });
      this.partitionLag = new Gauge({
        name: 'flusso_kafka_partition_lag',
        help: 'Records past the last committed batch of a partition when it was fetched',
        labelNames: ['topic', 'partition'],
        registers,
      });
    }
  }

  /** A role stopped on a failure (it is restarted): the phase is `stopped` until it runs again. */
  roleFailed(role: RoleName, code: string, message: string): void {
    if (role === 'capture') this.captureLive = false;
    this.health.failed(role, code);
    this.observer.onError?.(code, message);
  }

  /** A role runs (again): once no role is down, the phase is what the running roles say. */
  roleRunning(role: RoleName): void {
    this.health.running(role);
    if (this.health.anyDown || this.status.phase !== 'stopped') return;
    if (this.status.backfilling > 0) this.status.phase = 'backfilling';
    else this.status.phase = this.role === 'worker' || this.captureLive ? 'live' : 'starting';
  }

  /** Both events of the slot poll: lag bytes (status and metric) and the confirmed LSN. */
  slotSampled(lagBytes: number | null, confirmedLsn: string | null): void {
    if (lagBytes !== null) this.observer.onSlotLag?.(lagBytes);
    if (confirmedLsn !== null) this.capture.confirmedLsn = confirmedLsn;
  }

  /** The capture's batch was acknowledged by the broker and acked to the source. */
  batchProduced(changes: number, records: number, ackedLsn: string): void {
    this.capture.ackedLsn = ackedLsn;
    this.capture.produced += records;
    this.produced?.inc(records);
    this.observer.onBatchCommitted?.({ changes, documents: records });
  }

  /** A build too old for the tombstone window was rebuilt from current rows. */
  buildRebuilt(index: IndexName, documents: number): void {
    this.rebuilt.inc({ index }, documents);
  }

  /** Writes built for a dropped generation were dropped as superseded. */
  generationGone(index: IndexName, writes: number): void {
    this.superseded.inc({ index }, writes);
  }

  /** A worker's batch was flushed (documents written to every sink). */
  batchFlushed(partition: number, records: number, documents: number): void {
    const before = this.partitions.get(partition);
    this.written += documents;
    this.consumed += records;
    this.consumedTotal?.inc(records);
    this.partitions.set(partition, {
      committed_offset: before?.committed_offset ?? '0',
      lag: before?.lag ?? 0,
      records: (before?.records ?? 0) + records,
      documents_written: (before?.documents_written ?? 0) + documents,
    });
  }

  /** The consumer committed a batch's offsets. */
  committed(topic: string, partition: number, offset: string, lag: number): void {
    const before = this.partitions.get(partition);
    this.partitions.set(partition, {
      committed_offset: offset,
      lag,
      records: before?.records ?? 0,
      documents_written: before?.documents_written ?? 0,
    });
    this.status.batches += 1;
    this.committedOffset?.set({ topic, partition: String(partition) }, Number(offset));
    this.partitionLag?.set({ topic, partition: String(partition) }, lag);
  }

  /** A sample of the group's committed offsets against the topic's end. */
  groupSampled(progress: { readonly committed: number; readonly end: number }): void {
    this.group = {
      topic_records: progress.end,
      committed_records: progress.committed,
      pending_records: Math.max(0, progress.end - progress.committed),
    };
  }

  /** A worker (re)joins its group: partitions are assigned afresh (listed again once committed). */
  workerStarted(): void {
    this.partitions.clear();
    this.committedOffset?.reset();
    this.partitionLag?.reset();
  }

  details(): KafkaDetails {
    const partitions: Record<string, PartitionProgress> = {};
    for (const [p, progress] of [...this.partitions].sort(([a], [b]) => a - b))
      partitions[String(p)] = progress;
    return {
      mode: 'kafka',
      role: this.role,
      roles: this.health.details(),
      ...(this.role === 'worker'
        ? {}
        : {
            capture: {
              acked_lsn: this.capture.ackedLsn,
              confirmed_lsn: this.capture.confirmedLsn,
              records_produced: this.capture.produced,
            },
          }),
      ...(this.role === 'capture'
        ? {}
        : {
            worker: {
              group: this.worker.group,
              topic: this.worker.topic,
              records_consumed: this.consumed,
              documents_written: this.written,
              partitions,
              group_progress: this.group,
            },
          }),
    };
  }
}
