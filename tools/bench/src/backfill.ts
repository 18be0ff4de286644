// Backfill: every seeded user → a document. Baseline: the builder's own SQL run
// bare (document-sql.ts). flusso: the built binary from start until /status says
// the index is seeded and every document was delivered.
import { selectAllDocuments } from './document-sql.js';
import { ratio, report } from './report.js';
import type { Rig } from './rig.js';

export async function backfillBench(rig: Rig): Promise<void> {
  if (rig.flusso || rig.tap.count() > 0) throw new Error('backfill must run first, on an empty index');
  const [documents, baselineSecs] = await selectAllDocuments(rig);
  if (documents !== rig.rows) throw new Error(`baseline built ${documents} documents, not ${rig.rows}`);

  const start = performance.now();
  const flusso = await rig.startFlusso();
  await rig.ensureLive(); // live, and every document delivered
  const flussoSecs = (performance.now() - start) / 1000;
  const baselineRate = rig.rows / baselineSecs;
  const flussoRate = rig.rows / flussoSecs;
  report('backfill', { rows: rig.rows }, [
    ['baseline SELECT', baselineRate, 'rows/s'],
    ['baseline time', baselineSecs, 's'],
    ['flusso', flussoRate, 'rows/s'],
    ['flusso time', flussoSecs, 's'],
    ['ratio flusso/baseline', ratio(flussoRate, baselineRate), ''],
    ['flusso peak RSS', flusso.rss.peakMiB(), 'MiB'],
  ]);
}
