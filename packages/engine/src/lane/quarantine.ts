// The `skip` half of FailurePolicies: every rejected document is written to the
// dead-letter store before the lane acknowledges its batch. A store failure
// stops the run with the batch unconfirmed (retryable: the run restarts and the
// batch is redelivered), so neither the document nor its dead letter is lost.

import type { BuiltDocument, ItemRejection } from '@flusso/core';
import { type Clock, FlussoError, type Lsn } from '@flusso/core';
import type { DeadLetter, DeadLetterStore } from '../dead-letters/dead-letter-store.js';
import type { Observer } from '../observer/observer.js';

export interface QuarantineContext {
  readonly sink: string;
  readonly store: DeadLetterStore | null;
  readonly clock: Clock;
  readonly observer: Observer;
}

export interface QuarantineBatch {
  readonly documents: readonly BuiltDocument[];
  readonly lsn?: Lsn;
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
  if (ctx.store) {
    try {
      await ctx.store.record(deadLetters(ctx, batch, rejections));
    } catch (error) {
      throw new FlussoError(
        'source_failed',
        `sink ${ctx.sink}: could not record ${rejections.length} dead letter(s); the batch stays unconfirmed`,
        { cause: error, context: { sink: ctx.sink, count: rejections.length } },
      );
    }
  }
  for (const r of rejections) {
    ctx.observer.onDocumentQuarantined?.(ctx.sink, r.index, r.id, `${r.type}: ${r.reason}`);
  }
}
