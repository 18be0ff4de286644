// Groups a change stream into batches: up to `max` changes, or whatever arrived
// within `lingerMs` of the first one; with `closeWhenIdle` a batch also closes as
// soon as no further change is ready (the one-process engine's live policy: at a
// moderate load a change does not wait out the window; under load batches fill).
// The next change is already awaited while a batch is handed out, so nothing is
// read twice or lost between batches.
import type { Change } from '@flusso/core';

export async function* changeBatches(
  changes: AsyncIterable<Change>,
  max: number,
  lingerMs: number,
  closeWhenIdle = false,
): AsyncGenerator<Change[]> {
  const it = changes[Symbol.asyncIterator]();
  let next = it.next();
  for (;;) {
    const first = await next;
    if (first.done) return;
    const batch = [first.value];
    next = it.next();
    const deadline = Date.now() + lingerMs;
    while (batch.length < max) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'linger'>((resolve) => {
        // Idle = nothing arrived by the next turn of the event loop (pending I/O read).
        timer = setTimeout(() => resolve('linger'), closeWhenIdle ? 0 : left);
      });
      const result = await Promise.race([next, timeout]);
      clearTimeout(timer);
      if (result === 'linger') break;
      if (result.done) {
        yield batch;
        return;
      }
      batch.push(result.value);
      next = it.next();
    }
    yield batch;
  }
}
