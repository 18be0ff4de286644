// Seed 002, honestly: the built osproxy as its own process in front of an
// upstream (the emulator), idle RSS from /proc/<pid>/statm, 50 000 writes at
// concurrency 16 (every one must succeed), RSS again after the soak settles.
// Beside it, flusso's RSS once caught up and idle on the rig. Goals (issue 15):
// osproxy idle ≤ 60 MiB, growth ≤ 1.3×, flusso idle caught up ≤ 120 MiB. Then
// flusso's RSS once a live burst is over and the stream has been quiet for longer
// than its young-generation trim waits (apps/flusso/src/telemetry/young-generation.ts).
// It prints them; it never gates.
import { drive } from './load.js';
import { rssMiB, spawnEmulator, spawnOsproxy } from './osproxy-process.js';
import { type Line, report } from './report.js';
import type { Rig } from './rig.js';
import { applyUpdates } from './updates.js';

/** flusso's RSS once live, every row indexed, and left idle to settle. */
async function flussoIdleMiB(rig: Rig): Promise<number> {
  const flusso = await rig.ensureLive();
  await new Promise((r) => setTimeout(r, 3000));
  return flusso.rss.currentMiB();
}

/** flusso's RSS after `changes` live updates, once delivered and quiet for 20 s (the trim comes 10–15 s after the last change). */
async function flussoAfterBurstMiB(rig: Rig, changes: number): Promise<number> {
  const flusso = await rig.ensureLive();
  await applyUpdates(rig.db, 'footprint', changes, 1000, rig.rows);
  await rig.delivered(await rig.commitEndMarker('footprint'), 'the last footprint change in the index');
  await new Promise((r) => setTimeout(r, 20_000));
  return flusso.rss.currentMiB();
}

export async function osproxyFootprintBench(writes: number, rig: Rig, concurrency = 16): Promise<void> {
  const emulator = await spawnEmulator();
  const proxy = await spawnOsproxy(emulator.url);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMiB(proxy.pid);
    const soak = async (offset: number) => {
      const result = await drive(proxy.url, writes, concurrency, (i) => ({
        method: 'POST',
        path: '/orders/_doc',
        headers: { 'content-type': 'application/json' },
        body: `{"tenant_id":"soak","id":${offset + i},"msg":"x"}`,
      }));
      if (result.failures > 0)
        throw new Error(`footprint soak: ${result.failures} of ${writes} writes failed`);
      // Let post-soak transients (sockets, young garbage) settle, as the seed does.
      await new Promise((r) => setTimeout(r, 2000));
      return { rss: rssMiB(proxy.pid), rate: writes / result.seconds };
    };
    const first = await soak(0);
    // A second soak tells heap sizing from retention: a leak keeps growing, a sized heap does not.
    const second = await soak(writes);
    const lines: Line[] = [
      ['idle RSS (goal ≤ 60 MiB)', idle, 'MiB'],
      ['RSS after soak', first.rss, 'MiB'],
      ['growth (goal ≤ 1.30)', first.rss / idle, ''],
      ['RSS after a second soak', second.rss, 'MiB'],
      ['second/first', second.rss / first.rss, ''],
      ['writes/s', first.rate, 'req/s'],
      ['flusso idle RSS caught up (goal ≤ 120 MiB)', await flussoIdleMiB(rig), 'MiB'],
      ['flusso RSS after 50 000 live changes, quiet 20 s', await flussoAfterBurstMiB(rig, 50_000), 'MiB'],
    ];
    report('osproxy-footprint', { writes, concurrency, rows: rig.rows }, lines);
  } finally {
    await proxy.stop();
    await emulator.stop();
  }
}
