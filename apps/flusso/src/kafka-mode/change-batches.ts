// Groups a change stream into batches: up to `max` changes, or whatever arrived
// within `lingerMs` of the first one. The next change is already awaited while
// a batch is handed out, so nothing is read twice or lost between batches.
import type { Change } from '@flusso/core';

export async function* changeBatches(
  changes: AsyncIterable<Change>,
  max: number,
  lingerMs: number,
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
        timer = setTimeout(() => resolve('linger'), left);
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
