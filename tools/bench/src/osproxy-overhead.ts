// What the proxy adds: the same request mixes (searches and writes; plain, and
// with large numbers in the bodies) sent straight to the upstream and through
// osproxy, a bare Node pipe and (when installed) nginx `proxy_pass`, at
// concurrency 1, 16 and 64, in one run: added p50/p99, the throughput ratio, and
// each proxy's CPU per request (utime + stime from /proc/<pid>/stat). Then the
// issue's goals, judged against the bare pipe measured in the same run. Each
// figure is pooled from rounds that take the targets in turn (a fifth of the
// requests each, order rotated), so a burst of other load on the machine lands
// on every target alike instead of on whichever one it was measuring.
// The upstream is a fixed-reply server in its own process, so the figures are
// the proxy's work (parse, filter, dispatch, reshape), not the emulator's search.
import { withCpu } from './cpu.js';
import { drive, type LoadRequest, type LoadResult, percentile } from './load.js';
import { startNginx } from './nginx.js';
import { spawnNodeForwarder, spawnOsproxy, spawnStaticUpstream } from './osproxy-process.js';
import { largeNumberMix, type Mix, plainMix } from './overhead-mix.js';
import { type Line, ratio, report } from './report.js';

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly rps: number;
  /** CPU µs per request of the measured process; NaN for the direct path. */
  readonly cpuUs: number;
}

const ROUNDS = 5;

/** One target's share of the rounds: its load and, for a proxy, its process. */
interface Target {
  readonly url: string;
  /** The process to read CPU from; undefined for the direct path. */
  readonly pid: number | undefined;
  readonly next: (i: number) => LoadRequest;
}

/** Latencies pooled over rounds, the time and CPU they took, and failures. */
class Pooled {
  readonly latencies: number[] = [];
  seconds = 0;
  cpuSecs = 0;
  failures = 0;

  add(result: LoadResult, cpuSecs: number): void {
    for (const ms of result.latenciesMs) this.latencies.push(ms);
    this.seconds += result.seconds;
    this.cpuSecs += cpuSecs;
    this.failures += result.failures;
  }

  figures(measureCpu: boolean): Figures {
    if (this.failures > 0) throw new Error(`overhead: ${this.failures} requests failed`);
    const sorted = Float64Array.from(this.latencies).sort();
    return {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      rps: sorted.length / this.seconds,
      cpuUs: measureCpu ? (this.cpuSecs * 1e6) / sorted.length : Number.NaN,
    };
  }
}

/**
 * `requests` per target at `concurrency`, in `ROUNDS` rounds that visit every target
 * (order rotated each round), each visit warmed first: figures per target, pooled.
 */
async function interleaved(
  targets: readonly Target[],
  requests: number,
  concurrency: number,
): Promise<Figures[]> {
  const pooled = targets.map(() => new Pooled());
  const share = Math.ceil(requests / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < targets.length; k++) {
      const index = (k + round) % targets.length;
      const target = targets[index] as Target;
      await drive(target.url, 200, concurrency, target.next); // warm-up: JIT, pools, young generation
      const run = () => drive(target.url, share, concurrency, target.next);
      if (target.pid === undefined) (pooled[index] as Pooled).add(await run(), 0);
      else (pooled[index] as Pooled).add(...(await withCpu(target.pid, run)));
    }
  }
  return pooled.map((p, index) => p.figures(targets[index]?.pid !== undefined));
}

function added(label: string, f: Figures, d: Figures): Line[] {
  return [
    [`${label} added p50`, (f.p50 - d.p50) * 1000, 'µs'],
    [`${label} added p99`, (f.p99 - d.p99) * 1000, 'µs'],
    [`${label} throughput ratio`, f.rps / d.rps, ''],
    [`${label} CPU per request`, f.cpuUs, 'µs'],
  ];
}

type PerConcurrency = Map<number, { direct: Figures; proxy: Figures; pipe: Figures }>;

export async function osproxyOverheadBench(requests: number): Promise<void> {
  const upstream = await spawnStaticUpstream();
  const proxy = await spawnOsproxy(upstream.url);
  const nginx = await startNginx(upstream.url);
  const floor = await spawnNodeForwarder(upstream.url);
  try {
    const lines: Line[] = [];
    const mixes = [plainMix, largeNumberMix];
    const byMix = new Map<Mix, PerConcurrency>(mixes.map((mix) => [mix, new Map()]));
    // Both mixes warm every path first and alternate per concurrency, so neither one
    // gets a warmer JIT than the other.
    for (const mix of mixes)
      for (const target of [proxy, floor, ...(nginx === undefined ? [] : [nginx])])
        await drive(target.url, 2000, 16, target === proxy ? mix.proxied : mix.direct);
    for (const concurrency of [1, 16, 64]) {
      for (const mix of mixes) {
        const runs = byMix.get(mix) ?? new Map();
        const label = `${mix.name} c=${concurrency}`;
        const targets: Target[] = [
          { url: upstream.url, pid: undefined, next: mix.direct },
          { url: proxy.url, pid: proxy.pid, next: mix.proxied },
          { url: floor.url, pid: floor.pid, next: mix.direct },
          ...(nginx === undefined ? [] : [{ url: nginx.url, pid: nginx.pid, next: mix.direct }]),
        ];
        const [direct, osproxy, pipe, viaNginx] = (await interleaved(targets, requests, concurrency)) as [
          Figures,
          Figures,
          Figures,
          Figures | undefined,
        ];
        runs.set(concurrency, { direct, proxy: osproxy, pipe });
        lines.push(
          [`${label} direct p50`, direct.p50 * 1000, 'µs'],
          [`${label} direct p99`, direct.p99 * 1000, 'µs'],
          [`${label} direct throughput`, direct.rps, 'req/s'],
          ...added(`${label} osproxy`, osproxy, direct),
          ...added(`${label} bare Node pipe`, pipe, direct),
        );
        if (viaNginx !== undefined) lines.push(...added(`${label} nginx`, viaNginx, direct));
      }
    }
    const goals = goalLines(byMix);
    report('osproxy-overhead', { requests }, [...lines, ...goals.lines]);
    for (const verdict of goals.verdicts) console.log(`  ${verdict}`);
    if (nginx === undefined)
      console.log('  (nginx not installed: no nginx proxy_pass comparison in this run)');
  } finally {
    await nginx?.stop();
    await floor.stop();
    await proxy.stop();
    await upstream.stop();
  }
}

const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function goalLines(byMix: Map<Mix, PerConcurrency>): { lines: Line[]; verdicts: string[] } {
  const lines: Line[] = [];
  const verdicts: string[] = [];
  for (const [mix, runs] of byMix) {
    const c1 = runs.get(1);
    const c16 = runs.get(16);
    if (c1 === undefined || c16 === undefined) continue;
    const p50 = ratio(c1.proxy.p50 - c1.direct.p50, c1.pipe.p50 - c1.direct.p50);
    const rps = ratio(c16.proxy.rps, c16.pipe.rps);
    lines.push(
      [`goal ${mix.name}: c=1 added p50 osproxy/pipe (<= 1.5)`, p50, ''],
      [`goal ${mix.name}: c=16 throughput osproxy/pipe (>= 0.8)`, rps, ''],
    );
    verdicts.push(
      `${mix.name}: added p50 at c=1 <= 1.5x the bare pipe's: ${met(p50 !== null && p50 <= 1.5)}`,
      `${mix.name}: throughput at c=16 >= 0.8x the bare pipe's: ${met(rps !== null && rps >= 0.8)}`,
    );
  }
  const plain = byMix.get(plainMix);
  const large = byMix.get(largeNumberMix);
  if (plain === undefined || large === undefined) return { lines, verdicts };
  // Regressed: the large-number mix costs osproxy >10% more than the plain mix at some
  // concurrency: >10% lower throughput or >10% more CPU per request.
  let regressed = false;
  for (const [concurrency, p] of plain) {
    const l = large.get(concurrency);
    if (l === undefined) continue;
    const tput = ratio(l.proxy.rps, p.proxy.rps);
    const cpu = ratio(l.proxy.cpuUs, p.proxy.cpuUs);
    lines.push(
      [`large/plain c=${concurrency} osproxy throughput`, tput, ''],
      [`large/plain c=${concurrency} osproxy CPU per request`, cpu, ''],
    );
    if ((tput !== null && tput < 0.9) || (cpu !== null && cpu > 1.1)) regressed = true;
  }
  verdicts.push(
    `large-number mix vs plain (>10% lower throughput or >10% more CPU/request): ${regressed ? 'REGRESSED' : 'no regression'}`,
  );
  return { lines, verdicts };
}
