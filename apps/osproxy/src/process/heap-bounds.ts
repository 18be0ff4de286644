// Bounds on how far V8 grows the heap under load (issue 15: RSS after a write soak
// at most 1.3× idle). Left alone, V8 doubles the young generation up to 16 MiB
// semi-spaces (32 MiB resident, kept after the load ends) and lets old-generation
// garbage reach ~4× the live heap before a full collection. Node takes heap sizes
// only on its command line, which `osproxy` does not own, so the young generation
// is held by its growth factor: V8 reads it at each growth, and a GC observer sets
// it to 1 once the young generation has reached its cap (2 below it). The server
// caps only the old generation: its young one grows while busy and is trimmed once
// quiet (young-generation.ts); `osproxy apply` keeps the 2 MiB cap.
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export interface HeapBoundsOptions {
  /** Largest semi-space the young generation grows to, MiB (V8's own cap is 16); unset: not held here. */
  readonly semiSpaceMiB?: number;
  /** Old-generation limit after a full GC, as a percentage above the live heap. */
  readonly oldGrowthPercent: number;
}

/** `osproxy apply`'s bounds: its young generation held at 2 MiB semi-spaces. */
export const defaultHeapBounds: HeapBoundsOptions = { semiSpaceMiB: 2, oldGrowthPercent: 50 };

/** The server's: the young generation is young-generation.ts's to size (grown busy, trimmed quiet). */
export const serveHeapBounds: HeapBoundsOptions = { oldGrowthPercent: 50 };

const MiB = 1024 * 1024;

/** The young generation's two semi-spaces, in bytes. */
function youngBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

function minorGc(entry: PerformanceEntry): boolean {
  const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
  return detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
}

/** Applies the bounds for the rest of the process; returns a function that lifts them. */
export function boundHeapGrowth(options: HeapBoundsOptions = defaultHeapBounds): () => void {
  setFlagsFromString(`--heap-growing-percent=${options.oldGrowthPercent}`);
  if (options.semiSpaceMiB === undefined) return () => undefined;
  const cap = 2 * options.semiSpaceMiB * MiB;
  let factor = 0;
  const govern = () => {
    const next = youngBytes() >= cap ? 1 : 2;
    if (next !== factor) setFlagsFromString(`--semi-space-growth-factor=${next}`);
    factor = next;
  };
  govern();
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some(minorGc)) govern();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    setFlagsFromString('--semi-space-growth-factor=2');
  };
}
