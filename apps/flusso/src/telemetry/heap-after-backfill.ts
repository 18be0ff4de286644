// A backfill's garbage (rows, documents, bulk bodies) is dead once it finishes, but
// V8 collects the old generation only when its limit is reached, so it would stay
// resident while flusso idles caught up (measured: ~30 MiB of the 10 000-user rig's
// ~115 MiB). Once the pipeline is live after a backfill, one full collection, and a
// second a second later (the first frees, the concurrent sweeper then empties pages
// the second gives back). Once per backfill: never on the live path's load.

import type { Observer } from '@flusso/engine';
import { fullGc } from './full-gc.js';

export function heapAfterBackfill(delayMs = 1000): Observer {
  let backfilled = false;
  return {
    onBackfillFinished() {
      backfilled = true;
    },
    onLiveStarted() {
      if (!backfilled) return;
      backfilled = false;
      const first = setTimeout(() => {
        fullGc();
        setTimeout(fullGc, delayMs).unref();
      }, delayMs);
      first.unref();
    },
  };
}
