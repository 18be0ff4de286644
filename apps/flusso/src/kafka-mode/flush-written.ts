// Flushing a batch's writes: every sink flushes, then the failure policy applies to
// what they rejected (`stop` fails the batch, `skip` keeps dead letters before the commit).
import type { BuiltDocument, ItemRejection, Sink } from '@flusso/core';
import { FlussoError, type Lsn, systemClock } from '@flusso/core';
import type { DeadLetter } from '@flusso/engine';
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

/** Record the skipped rejections durably (before the commit), then report each as quarantined. */
async function quarantine(
  parts: Pick<WorkerParts, 'deadLetters' | 'observer' | 'clock'>,
  sink: Sink,
  rejected: readonly ItemRejection[],
  built: ReadonlyMap<string, BuiltDocument>,
  lsn: Lsn | null,
): Promise<void> {
  if (rejected.length === 0) return;
  const at = (parts.clock ?? systemClock).now();
  const letters = rejected.map((r): DeadLetter => {
    const doc = built.get(builtKey(r));
    return {
      sink: sink.name,
      index: r.index,
      id: r.id,
      op: r.op,
      rejection: { type: r.type, reason: r.reason, status: r.status },
      lsn,
      at,
      document: doc?.op === 'upsert' ? doc.document : null,
    };
  });
  if (parts.deadLetters) {
    try {
      await parts.deadLetters.record(letters);
    } catch (error) {
      throw new FlussoError(
        'source_failed',
        `sink ${sink.name}: could not record ${letters.length} dead letter(s); the batch stays uncommitted`,
        { cause: error, context: { sink: sink.name, count: letters.length } },
      );
    }
  }
  for (const r of rejected)
    parts.observer?.onDocumentQuarantined?.(sink.name, r.index, r.id, `${r.type}: ${r.reason}`);
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
  for (const [sink, rejected] of skipped) await quarantine(parts, sink, rejected, built, lsn);
}

/** The key of a built document in the map `flushWritten` takes. */
export function builtKey(doc: Pick<BuiltDocument, 'index' | 'id'>): string {
  return `${doc.index}\u0000${doc.id}`;
}
