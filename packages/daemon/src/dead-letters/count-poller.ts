// Samples the dead-letter counts out of band (they also change when an operator
// replays or purges from another process) and reports each sample.
import type { Clock } from '@flusso/core';
import type { DeadLetterBook, DeadLetterCount } from './dead-letter-book.js';

export async function pollDeadLetterCounts(
  book: Pick<DeadLetterBook, 'counts'>,
  report: (counts: readonly DeadLetterCount[]) => void,
  options: { clock: Clock; intervalMs: number; signal: AbortSignal },
): Promise<void> {
  while (!options.signal.aborted) {
    try {
      report(await book.counts());
    } catch {
      // A failed sample is skipped; a failing store stops the pipeline itself.
    }
    await options.clock.sleep(options.intervalMs, options.signal).catch(() => undefined);
  }
}
