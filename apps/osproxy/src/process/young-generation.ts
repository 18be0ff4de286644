// The young generation under load, and given back once quiet (README, "Sixth round").
// A 2 MiB semi-space cap kept RSS after a write soak within 1.3× idle, at the price of
// twice the scavenges of a grown young generation (GC was a fifth of osproxy's CPU per
// request). So V8 may grow it while busy, and once the event loop has been idle for
// about half a second a few minor collections give the grown semi-spaces back: V8
// shrinks the young generation at a scavenge when its recent allocation rate is low,
// and a run of scavenges with nothing allocated in between makes it low at once
// (otherwise V8 judges the last ~5 s). Minor collections only: a full one on every
// quiet pause left the next busy second 1.65–2.2× costlier (README, "Footprint").
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What the trim reads and does, so a test can stand in for V8 and the event loop. */
export interface YoungHeap {
  /** Bytes resident in the young generation's semi-spaces. */
  residentBytes(): number;
  /** Let V8 grow the young generation under load, to its maximum in one or two steps. */
  allowGrowth(): void;
  /** One minor collection (a scavenge), now. */
  scavenge(): void;
  /** Share of the time since the last call the event loop spent busy, 0–1. */
  loopUtilization(): number;
}

export interface YoungGenerationOptions {
  /** How often the trim looks, ms. */
  readonly checkMs: number;
  /** Checks in a row with the loop (nearly) idle before a trim (its first scavenge one check earlier). */
  readonly quietChecks: number;
  /** Loop utilization under which a check counts as quiet. */
  readonly quietUtilization: number;
  /** Trim only a young generation resident past this, bytes. */
  readonly trimAboveBytes: number;
  /** Scavenges a trim runs: more than V8's ten recorded collections, so the busy ones drop out. */
  readonly scavenges: number;
}

export const defaultYoungGenerationOptions: YoungGenerationOptions = {
  checkMs: 250,
  quietChecks: 3,
  quietUtilization: 0.02,
  trimAboveBytes: 4 * 1024 * 1024,
  scavenges: 12,
};

let exposedGc: ((options?: { type: 'minor' }) => void) | undefined;

/** V8's `gc` for this isolate, without `--expose-gc` on the command line (a bin script does not own it). */
function scavengeNow(): void {
  if (exposedGc === undefined) {
    setFlagsFromString('--expose-gc');
    exposedGc = runInNewContext('gc') as (options?: { type: 'minor' }) => void;
  }
  exposedGc({ type: 'minor' });
}

function v8YoungHeap(): YoungHeap {
  let last = performance.eventLoopUtilization();
  return {
    residentBytes: () =>
      getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0,
    allowGrowth: () => setFlagsFromString('--semi-space-growth-factor=8'),
    scavenge: scavengeNow,
    loopUtilization: () => {
      const now = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(now, last);
      last = now;
      return utilization;
    },
  };
}

/** Lets the young generation grow under load and trims it when quiet; returns a stop function. */
export function youngGenerationUnderLoad(
  options: YoungGenerationOptions = defaultYoungGenerationOptions,
  heap: YoungHeap = v8YoungHeap(),
): () => void {
  heap.allowGrowth();
  let quiet = 0;
  const check = () => {
    if (heap.loopUtilization() > options.quietUtilization) {
      quiet = 0;
      return;
    }
    quiet += 1;
    // Once per quiet spell: a young generation that did not shrink is not collected again.
    if (quiet < options.quietChecks - 1 || quiet > options.quietChecks) return;
    if (heap.residentBytes() <= options.trimAboveBytes) return;
    // V8 judges the allocation rate over its last ten collections. The first scavenge
    // closes the busy spell's last interval (up to a semi-space allocated); one check
    // later the rest record a quiet interval and nothing since, so the rate reads low.
    const scavenges = quiet < options.quietChecks ? 1 : options.scavenges;
    for (let i = 0; i < scavenges; i += 1) heap.scavenge();
  };
  const timer = setInterval(check, options.checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
