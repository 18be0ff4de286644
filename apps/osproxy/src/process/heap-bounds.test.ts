// The young generation stops growing at its cap under an allocation load that
// grows it to V8's own maximum when unbounded. Run in fresh processes: V8 flags
// are process-wide.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const heapBounds = fileURLToPath(new URL('../../dist/process/heap-bounds.js', import.meta.url));

/** Largest young generation (both semi-spaces, MiB) seen while allocating, bounded or not. */
async function youngPeakMiB(bounded: boolean): Promise<number> {
  const script = `
    import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
    const { boundHeapGrowth } = await import(${JSON.stringify(heapBounds)});
    if (${bounded}) boundHeapGrowth({ semiSpaceMiB: 2, oldGrowthPercent: 50 });
    else setFlagsFromString('--semi-space-growth-factor=2');
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    let peak = young();
    // Survivors (a ring of recent objects) make V8 grow the young generation. Work comes
    // in event-loop turns of a few hundred objects, as requests do in the proxy.
    const ring = new Array(20000);
    for (let turn = 0; turn < 6000; turn += 1) {
      for (let i = 0; i < 200; i += 1) ring[(turn * 200 + i) % ring.length] = { i, s: 'x'.repeat(64) + i };
      await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, young());
    }
    console.log(peak / 1048576);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--semi-space-growth-factor=1',
    '--input-type=module',
    '-e',
    script,
  ]);
  return Number(stdout.trim());
}

describe('heap bounds', () => {
  it('holds the young generation at its cap where V8 alone grows it past', async () => {
    const [bounded, unbounded] = await Promise.all([youngPeakMiB(true), youngPeakMiB(false)]);
    expect(unbounded).toBeGreaterThan(8);
    // One growth may land before the observer runs: at most one doubling past the cap.
    expect(bounded).toBeLessThanOrEqual(8);
  });
});
