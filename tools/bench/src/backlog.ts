// Backpressure: stop flusso, commit a backlog of M changes, start it again and
// record its peak RSS while it drains, against its idle RSS from the same run.
// pg_recvlogical draining the same backlog from its own slot gives the rate limit.
import { createBaselineSlot, recvlogical } from './recvlogical.js';
import { ratio, report } from './report.js';
import type { Rig } from './rig.js';
import { sleep } from './until.js';
import { applyUpdates } from './updates.js';

export async function backlogBench(rig: Rig, changes: number): Promise<void> {
  const before = await rig.ensureLive();
  await sleep(2000); // settled: caught up, nothing in flight
  const idleMiB = before.rss.currentMiB();
  await rig.stopFlusso();

  const slot = await createBaselineSlot(rig, 'backlog');
  const writerSecs = await applyUpdates(rig.db, 'backlog', changes, 1000, rig.rows);
  const end = await rig.commitEndMarker('backlog');
  const endLsn = await rig.walPosition();

  const start = performance.now();
  const flusso = await rig.startFlusso();
  const drainSecs = ((await rig.delivered(end, 'the backlog drained')) - start) / 1000;
  const peakMiB = flusso.rss.peakMiB();
  await sleep(2000);
  const afterMiB = flusso.rss.currentMiB();
  const baselineSecs = await recvlogical(rig, slot, endLsn);

  report('backlog', { rows: rig.rows, changes }, [
    ['writer (flusso stopped)', changes / writerSecs, 'changes/s'],
    ['baseline pg_recvlogical', changes / baselineSecs, 'changes/s'],
    ['flusso drain', changes / drainSecs, 'changes/s'],
    ['flusso drain time (incl. start)', drainSecs, 's'],
    ['ratio flusso/baseline', ratio(baselineSecs, drainSecs), ''],
    ['idle RSS (caught up)', idleMiB, 'MiB'],
    ['peak RSS while draining', peakMiB, 'MiB'],
    ['RSS after draining', afterMiB, 'MiB'],
    ['ratio peak/idle', ratio(peakMiB, idleMiB), ''],
  ]);
}
