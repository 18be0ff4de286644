// This osproxy build against another, on one noisy machine: both behind one static
// upstream, driven in alternating batches (A B, then B A, ...) so that whatever else
// the machine does lands on both alike, and compared by CPU per request from /proc
// (which other load moves far less than a rate), and by p50 latency (what c=1
// judges). A build against itself reads 1.00–1.04 on a quiet machine, 0.90 was
// seen at a load average of 6.
// `pnpm bench osproxy-ab --against ../other-checkout` (built there with `pnpm build`).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withCpu } from './cpu.js';
import { drive, percentile } from './load.js';
import { type Spawned, spawnOsproxy, spawnStaticUpstream } from './osproxy-process.js';
import { plainMix } from './overhead-mix.js';
import { type Line, report } from './report.js';

export interface AbOptions {
  /** A checkout whose `apps/osproxy/bin/osproxy.js` (and built dist) is build B. */
  readonly against: string;
  readonly batches: number;
  readonly requestsPerBatch: number;
  readonly concurrency?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Batch {
  readonly cpuUs: number;
  readonly p50Us: number;
}

async function batch(target: Spawned, requests: number, concurrency: number): Promise<Batch> {
  // The idle build trimmed its young generation while the other ran: warm it again first.
  await drive(target.url, 500, concurrency, plainMix.proxied);
  const [result, cpu] = await withCpu(target.pid, () =>
    drive(target.url, requests, concurrency, plainMix.proxied),
  );
  if (result.failures > 0) throw new Error(`osproxy-ab: ${result.failures} of ${requests} requests failed`);
  const sorted = result.latenciesMs.slice().sort();
  return { cpuUs: (cpu * 1e6) / requests, p50Us: percentile(sorted, 50) * 1000 };
}

export async function osproxyAbBench(options: AbOptions): Promise<void> {
  const otherBin = join(resolve(options.against), 'apps', 'osproxy', 'bin', 'osproxy.js');
  if (!existsSync(otherBin)) throw new Error(`osproxy-ab: no ${otherBin} (build that checkout first)`);
  const concurrency = options.concurrency ?? 16;
  const upstream = await spawnStaticUpstream();
  const builds = [await spawnOsproxy(upstream.url), await spawnOsproxy(upstream.url, {}, otherBin)];
  try {
    for (const build of builds) await drive(build.url, 2_000, concurrency, plainMix.proxied); // warm up
    const runs: [Batch[], Batch[]] = [[], []];
    for (let i = 0; i < options.batches; i += 1) {
      for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const build = builds[which] as Spawned;
        runs[which]?.push(await batch(build, options.requestsPerBatch, concurrency));
      }
    }
    const [a, b] = [median(runs[0].map((r) => r.cpuUs)), median(runs[1].map((r) => r.cpuUs))];
    const [aP50, bP50] = [median(runs[0].map((r) => r.p50Us)), median(runs[1].map((r) => r.p50Us))];
    const lines: Line[] = [
      ['A (this checkout) CPU per request, median', a, 'µs'],
      ['B (--against) CPU per request, median', b, 'µs'],
      ['B/A (against itself: 1.00–1.04 quiet, ~0.9 loaded)', b / a, ''],
      ['A p50 latency, median of batches', aP50, 'µs'],
      ['B p50 latency, median of batches', bP50, 'µs'],
      ['B−A p50 latency', bP50 - aP50, 'µs'],
    ];
    report(
      'osproxy-ab',
      { batches: options.batches, 'requests per batch': options.requestsPerBatch, concurrency },
      lines,
    );
  } finally {
    for (const build of builds) await build.stop();
    await upstream.stop();
  }
}
