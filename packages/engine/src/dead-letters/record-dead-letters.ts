// Every way a document ends up under `skip` (a sink refused it, its build failed on
// its data; one process or a Kafka worker) records its letters the same way: durably
// before the batch is confirmed, then reported. A store failure fails the batch
// (retryable: it is redelivered), so neither the document nor its letter is lost.
import { FlussoError } from '@flusso/core';
import type { Observer } from '../observer/observer.js';
import type { DeadLetter, DeadLetterStore } from './dead-letter-store.js';

export interface LetterContext {
  /** null: letters are only reported (logged and counted). */
  readonly store: DeadLetterStore | null;
  readonly observer: Observer;
}

/** Records `letters`, then reports each as quarantined; `source` names them in an error. */
export async function recordDeadLetters(
  ctx: LetterContext,
  letters: readonly DeadLetter[],
  source: string,
): Promise<void> {
  if (letters.length === 0) return;
  if (ctx.store) {
    try {
      await ctx.store.record(letters);
    } catch (error) {
      throw new FlussoError(
        'source_failed',
        `${source}: could not record ${letters.length} dead letter(s); the batch stays unconfirmed`,
        { cause: error, context: { count: letters.length } },
      );
    }
  }
  for (const l of letters)
    ctx.observer.onDocumentQuarantined?.(l.sink, l.index, l.id, `${l.rejection.type}: ${l.rejection.reason}`);
}
