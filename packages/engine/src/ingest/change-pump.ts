// Moves live changes from the capture into the bounded ingest queue. Awaiting the
// queue's `push` is what back-pressures the source when sinks fall behind.
import type { Change, ChangeCapture } from '@flusso/core';
import type { Observer } from '../observer/observer.js';
import type { BoundedQueue } from '../queue/bounded-queue.js';

export async function pumpChanges(
  capture: ChangeCapture,
  queue: BoundedQueue<Change>,
  observer: Observer,
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const change of capture.changes(signal)) {
      observer.onChangeCaptured?.();
      if (!queue.tryPush(change) && !(await queue.push(change))) break;
      if (signal.aborted) break;
    }
  } finally {
    queue.close();
  }
}
