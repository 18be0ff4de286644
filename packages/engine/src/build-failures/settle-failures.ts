// Each document that could not be built goes its index's way: under `stop` the run
// stops (the batch unconfirmed) with an error naming index, id and SQLSTATE; under
// `skip` it becomes a dead letter in every sink it was for, recorded before the
// batch is queued (so before it is acked), and the rest of the batch goes on. The
// letter keeps no document: nothing was built, and the row's values stay in SQL.
import type { Clock, FailurePolicy, IndexName, Lsn } from '@flusso/core';
import type { DeadLetter } from '../dead-letters/dead-letter-store.js';
import { type LetterContext, recordDeadLetters } from '../dead-letters/record-dead-letters.js';
import { DocumentBuildError, describeCause, sqlstateOf } from './document-build-error.js';
import type { BuildFailure } from './isolate.js';

export interface SettleContext extends LetterContext {
  /** The index's `on_error`. */
  readonly policyOf: (index: IndexName) => FailurePolicy;
  readonly clock: Clock;
}

/** The rejection a dead letter of a failed build carries: codes only. */
export function buildFailedRejection(failure: BuildFailure): DeadLetter['rejection'] {
  return {
    type: 'build_failed',
    reason: `document query failed: ${describeCause(sqlstateOf(failure))}`,
    status: 0,
  };
}

export async function settleBuildFailures(
  ctx: SettleContext,
  failed: readonly BuildFailure[],
  sinks: readonly string[],
  lsn: Lsn | null,
): Promise<void> {
  if (failed.length === 0) return;
  const stopping = failed.filter((f) => ctx.policyOf(f.index) === 'stop');
  const first = stopping[0];
  if (first) throw new DocumentBuildError(first, stopping.length);
  const at = ctx.clock.now();
  const letters = failed.flatMap((f) =>
    sinks.map(
      (sink): DeadLetter => ({
        sink,
        index: f.index,
        id: f.id,
        op: 'upsert',
        rejection: buildFailedRejection(f),
        lsn,
        at,
        document: null,
      }),
    ),
  );
  await recordDeadLetters(ctx, letters, 'documents that failed to build');
}
