// The young-generation trim: when it collects (a stand-in heap and event loop), and
// that V8 really gives the grown semi-spaces back (a fresh process: flags are
// process-wide).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { type YoungHeap, youngGenerationUnderLoad } from './young-generation.js';

const options = { checkMs: 10, quietChecks: 3, quietUtilization: 0.02, trimAboveBytes: 4, scavenges: 12 };

/** A heap whose loop reads busy for the given checks, then idle. */
function standIn(busyChecks: number, resident = 8) {
  let checks = 0;
  const heap: YoungHeap & { scavenges: number[] } = {
    scavenges: [],
    residentBytes: () => resident,
    allowGrowth: vi.fn(),
    scavenge() {
      this.scavenges.push(checks);
    },
    loopUtilization: () => {
      checks += 1;
      return checks <= busyChecks ? 0.5 : 0;
    },
  };
  return heap;
}

function runChecks(heap: YoungHeap, count: number): void {
  vi.useFakeTimers();
  try {
    const stop = youngGenerationUnderLoad(options, heap);
    vi.advanceTimersByTime(options.checkMs * count);
    stop();
  } finally {
    vi.useRealTimers();
  }
}

describe('young generation under load', () => {
  it('lets the young generation grow from the start', () => {
    const heap = standIn(0);
    runChecks(heap, 0);
    expect(heap.allowGrowth).toHaveBeenCalledOnce();
  });

  it('never collects while the loop is busy', () => {
    const heap = standIn(50);
    runChecks(heap, 50);
    expect(heap.scavenges).toEqual([]);
  });

  it('trims once per quiet spell: one scavenge, then the rest one check later', () => {
    const heap = standIn(5);
    runChecks(heap, 40);
    expect(heap.scavenges).toEqual([7, ...Array(12).fill(8)]);
  });

  it('leaves a young generation that never grew alone', () => {
    const heap = standIn(5, 4);
    runChecks(heap, 40);
    expect(heap.scavenges).toEqual([]);
  });
});

const youngGeneration = fileURLToPath(new URL('../../dist/process/young-generation.js', import.meta.url));

/** Young generation resident (MiB) at the end of a busy spell, and once the trim has run. */
async function grownThenTrimmedMiB(): Promise<[number, number]> {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { youngGenerationUnderLoad } = await import(${JSON.stringify(youngGeneration)});
    youngGenerationUnderLoad({ checkMs: 20, quietChecks: 3, quietUtilization: 0.02, trimAboveBytes: 4 * 1048576, scavenges: 12 });
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size;
    // Survivors (a ring of recent objects) make V8 grow the young generation.
    const ring = new Array(20000);
    for (let turn = 0; turn < 6000; turn += 1) {
      for (let i = 0; i < 200; i += 1) ring[(turn * 200 + i) % ring.length] = { i, s: 'x'.repeat(64) + i };
      if (turn % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    ring.fill(undefined);
    const grown = young();
    // Quiet: the trim's checks see an idle loop; wait for the young generation to shrink
    // (giving up after 500 waits, so a trim that never comes fails the test, not hangs it).
    for (let wait = 0; wait < 500 && young() > 4 * 1048576; wait += 1) await new Promise((r) => setTimeout(r, 20));
    console.log(grown / 1048576, young() / 1048576);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--semi-space-growth-factor=1',
    '--input-type=module',
    '-e',
    script,
  ]);
  const [grown, trimmed] = stdout.trim().split(' ').map(Number);
  return [grown ?? Number.NaN, trimmed ?? Number.NaN];
}

describe('young generation under load, in V8', () => {
  it('grows past the old 2 MiB cap while busy and gives the growth back once quiet', async () => {
    const [grown, trimmed] = await grownThenTrimmedMiB();
    expect(grown).toBeGreaterThan(8);
    expect(trimmed).toBeLessThanOrEqual(4);
  });
});
