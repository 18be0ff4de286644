// The young generation on the live path. bin/flusso.js holds it at its initial
// 1 MiB semi-spaces through startup and the backfill (see README, "Footprint"), but
// live, documents wait in the lanes for the batch window: with 1 MiB semi-spaces a
// busy stream promotes them to the old generation and pays full collections for
// them (~20 % more CPU per change in `pnpm bench cdc`). So once live V8 may grow
// the young generation again, and once the stream has been quiet for a while one
// full collection gives the grown semi-spaces back: V8 shrinks the young
// generation at a collection when its recent allocation rate is low, which a
// quiet daemon's is.

import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { Observer } from '@flusso/engine';
import { fullGc } from './full-gc.js';

/** What the trim reads and does, so a test can stand in for V8. */
export interface YoungHeap {
  /** Bytes resident in the young generation's semi-spaces. */
  residentBytes(): number;
  /** Let V8 grow the young generation under load (its default growth factor). */
  allowGrowth(): void;
  collect(): void;
}

export interface YoungGenerationOptions {
  /** How often the trim looks, ms. */
  readonly checkMs: number;
  /** Checks in a row with no change captured, flushed or backfilled before a trim. */
  readonly quietChecks: number;
  /** Trim only a young generation that grew past this, bytes. */
  readonly trimAboveBytes: number;
}

// Two quiet checks of 5 s: V8 judges its allocation rate over the last ~5 s.
export const defaultYoungGenerationOptions: YoungGenerationOptions = {
  checkMs: 5000,
  quietChecks: 2,
  trimAboveBytes: 4 * 1024 * 1024,
};

const v8YoungHeap: YoungHeap = {
  residentBytes: () =>
    getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0,
  allowGrowth: () => setFlagsFromString('--semi-space-growth-factor=2'),
  collect: fullGc,
};

export function youngGenerationOnLive(
  options: YoungGenerationOptions = defaultYoungGenerationOptions,
  heap: YoungHeap = v8YoungHeap,
): Observer {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  let quiet = 0;
  const busyNow = () => {
    busy = true;
  };
  const check = () => {
    if (busy) {
      busy = false;
      quiet = 0;
      return;
    }
    quiet += 1;
    // Once per quiet spell: a young generation that did not shrink is not collected again.
    if (quiet === options.quietChecks && heap.residentBytes() > options.trimAboveBytes) heap.collect();
  };
  return {
    onLiveStarted() {
      if (timer !== undefined) return;
      heap.allowGrowth();
      timer = setInterval(check, options.checkMs);
      timer.unref();
    },
    onChangeCaptured: busyNow,
    onFlushed: busyNow,
    onBackfillProgress: busyNow,
    onStopped() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
