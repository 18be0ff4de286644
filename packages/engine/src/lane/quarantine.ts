// The `skip` half of FailurePolicies: every rejected document is written to the
// dead-letter store before the lane acknowledges its batch. A store failure
// stops the run with the batch unconfirmed (retryable: the run restarts and the
// batch is redelivered), so neither the document nor its dead letter is lost.

import type { BuiltDocument, Clock, ItemRejection, Lsn } from '@flusso/core';
import type { DeadLetter } from '../dead-letters/dead-letter-store.js';
import { type LetterContext, recordDeadLetters } from '../dead-letters/record-dead-letters.js';

export interface QuarantineContext extends LetterContext {
  readonly sink: string;
  readonly clock: Clock;
}

export interface QuarantineBatch {
  readonly documents: readonly BuiltDocument[];
  readonly lsn?: Lsn | null;
}

function deadLetters(ctx: QuarantineContext, batch: QuarantineBatch, rejections: readonly ItemRejection[]) {
  const byKey = new Map(batch.documents.map((d) => [`${d.index}\u0000${d.id}`, d]));
  const at = ctx.clock.now();
  return rejections.map((r): DeadLetter => {
    const doc = byKey.get(`${r.index}\u0000${r.id}`);
    return {
      sink: ctx.sink,
      index: r.index,
      id: r.id,
      op: r.op,
      rejection: { type: r.type, reason: r.reason, status: r.status },
      lsn: batch.lsn ?? null,
      at,
      document: doc?.op === 'upsert' ? doc.document : null,
    };
  });
}

/** Record `rejections` (all under `skip`), then report each as quarantined. */
export async function quarantine(
  ctx: QuarantineContext,
  batch: QuarantineBatch,
  rejections: readonly ItemRejection[],
): Promise<void> {
  await recordDeadLetters(ctx, deadLetters(ctx, batch, rejections), `sink ${ctx.sink}`);
}
