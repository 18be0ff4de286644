// Flushing a batch's writes: every sink flushes, then the failure policy applies to
// what they rejected (`stop` fails the batch, `skip` keeps dead letters before the commit).
import type { BuiltDocument, Clock, ItemRejection, Sink } from '@flusso/core';
import { FlussoError, type Lsn, systemClock } from '@flusso/core';
import { type LetterContext, noopObserver, quarantine } from '@flusso/engine';
import type { WorkerParts } from './kafka-worker.js';

/** Under `stop` a rejection fails the batch; under `skip` it is returned to be dead-lettered. */
function checkRejections(
  parts: Pick<WorkerParts, 'onRejection' | 'log'>,
  sink: Sink,
  rejections: readonly ItemRejection[],
): ItemRejection[] {
  const skipped: ItemRejection[] = [];
  for (const r of rejections) {
    const fields = { sink: sink.name, index: r.index, status: r.status, type: r.type, reason: r.reason };
    if (parts.onRejection(r.index) === 'stop') {
      throw new FlussoError(
        'sink_rejected',
        `sink ${sink.name}: a document of ${r.index} was rejected (${r.type})`,
        {
          context: fields,
        },
      );
    }
    parts.log.warn(fields, 'document rejected by the sink; kept as a dead letter');
    skipped.push(r);
  }
  return skipped;
}

/** Where a worker's dead letters go, and who hears of them (the engine's context, its defaults filled). */
export function letterContext(
  parts: Pick<WorkerParts, 'deadLetters' | 'observer' | 'clock'>,
): LetterContext & { readonly clock: Clock } {
  return {
    store: parts.deadLetters ?? null,
    clock: parts.clock ?? systemClock,
    observer: parts.observer ?? noopObserver,
  };
}

/**
 * Flush what was written to every sink, then apply the failure policy to what they
 * rejected. Every sink flushes (and decides) before any dead letter is written: a
 * `stop` rejection anywhere fails with nothing reported as quarantined.
 */
export async function flushWritten(
  parts: Pick<WorkerParts, 'sinks' | 'onRejection' | 'log' | 'deadLetters' | 'observer' | 'clock'>,
  built: ReadonlyMap<string, BuiltDocument>,
  lsn: Lsn | null,
  caughtUp: boolean,
): Promise<void> {
  const skipped: [Sink, ItemRejection[]][] = [];
  for (const sink of parts.sinks) {
    const started = performance.now();
    const report = await sink.flush(caughtUp);
    parts.observer?.onFlushed?.({
      sink: sink.name,
      documents: built.size,
      micros: Math.round((performance.now() - started) * 1000),
    });
    skipped.push([sink, checkRejections(parts, sink, report.rejections)]);
  }
  const letters = letterContext(parts);
  for (const [sink, rejected] of skipped)
    await quarantine({ ...letters, sink: sink.name }, { documents: [...built.values()], lsn }, rejected);
}

/** The key of a built document in the map `flushWritten` takes. */
export function builtKey(doc: Pick<BuiltDocument, 'index' | 'id'>): string {
  return `${doc.index}\u0000${doc.id}`;
}
