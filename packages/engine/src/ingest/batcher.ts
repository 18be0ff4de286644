// Cuts the change queue into batches by the BatchPolicy and says whether a batch
// left the queue empty behind it (`caughtUp`), which sinks use to refresh.
import type { Change, Clock } from '@flusso/core';
import { type BoundedQueue, queueEnd } from '../queue/bounded-queue.js';
import type { BatchPolicy } from './batch-policy.js';

export interface ChangeBatch {
  readonly changes: readonly Change[];
  readonly caughtUp: boolean;
}

// The reason the window's timer is cancelled with: one value, not a DOMException (and
// its stack) per wait.
const windowClosed = Symbol('batch window closed');

async function waitForItemOrDeadline(
  queue: BoundedQueue<Change>,
  clock: Clock,
  ms: number,
): Promise<boolean> {
  const timer = new AbortController();
  const timeout = clock.sleep(ms, timer.signal).then(
    () => false,
    () => false,
  );
  const arrived = await Promise.race([queue.waitForItem().then(() => true), timeout]);
  timer.abort(windowClosed);
  return arrived;
}

/**
 * The next batch, or null when the queue is closed and drained. When `idle` says
 * nothing is in flight downstream, a batch closes as soon as the queue is empty
 * (no one would gain from waiting out the window); while the lanes are busy it
 * fills up to the policy, so batches grow with the load.
 */
export async function nextBatch(
  queue: BoundedQueue<Change>,
  policy: BatchPolicy,
  clock: Clock,
  idle: () => boolean = () => false,
): Promise<ChangeBatch | null> {
  const first = await queue.take();
  if (first === queueEnd) return null;
  const changes: Change[] = [first];
  const deadline = clock.monotonic() + policy.maxDelayMs;
  // Whether the capture had its turn since the queue was last seen empty.
  let settled = false;
  while (changes.length < policy.maxChanges) {
    const next = queue.tryTake();
    if (next !== queueEnd) {
      changes.push(next);
      settled = false;
      continue;
    }
    if (queue.closed) break;
    if (policy.closeWhenIdle === true && idle()) {
      if (settled || clock.monotonic() >= deadline) break;
      // What the capture already received (a transaction's rows arrive together, one
      // change at a time through the pump) joins this batch before it closes: one
      // turn of the event loop, not a timer.
      await new Promise<void>((resolve) => setImmediate(resolve));
      settled = true;
      continue;
    }
    const remaining = deadline - clock.monotonic();
    if (remaining <= 0 || !(await waitForItemOrDeadline(queue, clock, remaining))) break;
  }
  return { changes, caughtUp: queue.size === 0 };
}
