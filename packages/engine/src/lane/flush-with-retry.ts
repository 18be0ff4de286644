// Write a batch to a sink and flush it, retrying transient failures with capped
// exponential backoff. Each retry re-writes the same documents (same ids), so a
// retry can never duplicate a document; non-transient failures are not retried.

import type { BuiltDocument, FlushReport, Sink } from '@flusso/core';
import { type BackoffPolicy, backoffDelay, type Clock, isFlussoError } from '@flusso/core';
import type { Observer } from '../observer/observer.js';

export interface RetryContext {
  readonly clock: Clock;
  readonly backoff: BackoffPolicy;
  readonly observer: Observer;
  readonly signal: AbortSignal;
}

export async function flushWithRetry(
  sink: Sink,
  documents: readonly BuiltDocument[],
  caughtUp: boolean,
  ctx: RetryContext,
): Promise<FlushReport> {
  for (let attempt = 0; ; attempt++) {
    for (const doc of documents) sink.write(doc);
    try {
      const report = await sink.flush(caughtUp);
      if (attempt > 0) ctx.observer.onSinkRecovered?.(sink.name);
      return report;
    } catch (error) {
      if (
        !isFlussoError(error, 'sink_transient') ||
        attempt >= ctx.backoff.maxRetries ||
        ctx.signal.aborted
      ) {
        throw error;
      }
      ctx.observer.onFlushRetry?.(sink.name, attempt + 1, error.code);
      await ctx.clock.sleep(backoffDelay(ctx.backoff, attempt), ctx.signal);
    }
  }
}
