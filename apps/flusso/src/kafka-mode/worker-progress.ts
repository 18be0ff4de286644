// What a worker-only process shows as current: it runs no capture, so nothing
// drives its index states after it joined. Every sampling interval it reads the
// live state instead: each index's layout in the sinks (seeded, or not yet), the
// reindex journal (a reindex the capture is running shows as `backfilling`), and the
// group's progress over the whole topic (records committed by any member, records
// still to apply). The phase follows: `backfilling` while an index is not seeded
// or being reindexed, else `live`.
import type { IndexName, IndexSpec, Sink } from '@flusso/core';
import { type Clock, systemClock } from '@flusso/core';
import type { IndexState, ReindexJournal } from '@flusso/daemon';
import type { GroupProgress } from './change-topic-admin.js';
import type { KafkaStatus } from './kafka-status.js';

export interface WorkerProgressParts {
  readonly state: KafkaStatus;
  /** Sinks used only to read layouts (not the ones the worker writes through). */
  readonly probes: readonly Sink[];
  readonly specs: readonly IndexSpec[];
  readonly journal: Pick<ReindexJournal, 'pending'> | null;
  readonly group: { groupProgress(): Promise<GroupProgress> };
  readonly log: { warn(fields: Record<string, unknown>, message: string): void };
}

/** One sample: index states, phase and group progress, from the live state. */
export async function sampleWorkerProgress(p: WorkerProgressParts): Promise<void> {
  const reindexing = new Set<IndexName>((await p.journal?.pending()) ?? []);
  const states = new Map<IndexName, IndexState>();
  for (const spec of p.specs) {
    let seeded = true;
    for (const sink of p.probes) {
      // Re-reads the layout the capture keeps in the sink (`flusso_meta`); idempotent.
      await sink.ensureIndex(spec);
      seeded = seeded && (await sink.isSeeded(spec.name));
    }
    states.set(spec.name, reindexing.has(spec.name) ? 'backfilling' : seeded ? 'seeded' : 'pending');
  }
  p.state.groupSampled(await p.group.groupProgress());
  for (const [index, state] of states) p.state.status.indexes.set(index, state);
  if (p.state.status.phase === 'stopped') return;
  p.state.status.phase = [...states.values()].every((s) => s === 'seeded') ? 'live' : 'backfilling';
}

/** Samples until `signal` aborts; a failed sample is logged and the next one tries again. */
export async function pollWorkerProgress(
  p: WorkerProgressParts,
  o: { readonly intervalMs: number; readonly signal: AbortSignal; readonly clock?: Clock },
): Promise<void> {
  const clock = o.clock ?? systemClock;
  while (!o.signal.aborted) {
    try {
      await sampleWorkerProgress(p);
    } catch (error) {
      p.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'worker progress sample failed',
      );
    }
    await clock.sleep(o.intervalMs, o.signal).catch(() => undefined);
  }
}
