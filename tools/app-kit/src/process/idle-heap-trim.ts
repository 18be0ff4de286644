// Give the heap a burst of work grew back once the process goes quiet. After a
// backfill or a soak of writes, what stays live is small (measured: ~20 MiB for
// flusso, ~17 MiB for osproxy) but V8 only collects the old generation when its
// limit is reached, so the garbage of the burst stays resident while nothing
// runs. One full collection when allocation has stopped returns it.
//
// Quiet = no GC and under `quietBytes` allocated in a whole tick; the trim runs
// once per busy period (at least `minGcs` collections since the last one), so a
// steady light load never pays a pause. It is two collections a quiet tick
// apart: the first frees the garbage (swept concurrently), the second gives the
// pages it emptied back; one alone left ~40 MiB of flusso's backfill resident.
import { type PerformanceObserver as Observer, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleHeapTrimOptions {
  /** How often allocation is sampled; a tick with no GC and little allocation is quiet. Default 250 ms. */
  readonly tickMs?: number;
  /** Allocation a tick may see and still count as quiet. Default 128 KiB. */
  readonly quietBytes?: number;
  /** Collections since the last trim before another is worth a pause. Default 8. */
  readonly minGcs?: number;
  /** Told the duration and resident set after each trim (logging, tests). */
  readonly onTrim?: (trim: { ms: number; rssBytes: number }) => void;
}

let collect: (() => void) | undefined;

/** V8's `gc()`, exposed for this isolate without `--expose-gc` on the command line. */
function fullGc(): () => void {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed !== undefined) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  return collect;
}

/** Starts watching; returns a stop function. Timers are unref'd: they never hold the process open. */
export function trimHeapWhenIdle(options: IdleHeapTrimOptions = {}): () => void {
  const tickMs = options.tickMs ?? 250;
  const quietBytes = options.quietBytes ?? 128 * 1024;
  const minGcs = options.minGcs ?? 8;
  const gc = fullGc();
  let gcs = 0;
  let seen = 0;
  let sinceTrim = 0;
  let settle = false;
  let used = getHeapStatistics().used_heap_size;
  // The trim's own collections are reported later, in this window: they are not traffic.
  let ownFrom = -1;
  let ownTo = -1;
  const observer: Observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.startTime < ownFrom || entry.startTime > ownTo) gcs++;
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const collections = gcs - seen;
    seen = gcs;
    sinceTrim += collections;
    const nowUsed = getHeapStatistics().used_heap_size;
    const allocated = nowUsed - used;
    used = nowUsed;
    if (collections > 0 || allocated > quietBytes) return;
    if (!settle && sinceTrim < minGcs) return;
    const start = performance.now();
    ownFrom = start;
    gc();
    ownTo = performance.now();
    // The first collection of a trim asks for a second (settling) one; that one ends it.
    settle = !settle;
    sinceTrim = 0;
    used = getHeapStatistics().used_heap_size;
    options.onTrim?.({ ms: ownTo - start, rssBytes: process.memoryUsage.rss() });
  }, tickMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}
