// A closed-loop HTTP load driver on one keep-alive undici pool: `concurrency`
// workers each send their next request as soon as the last one answered.
import { Pool } from 'undici';

export interface LoadResult {
  readonly requests: number;
  readonly failures: number;
  readonly seconds: number;
  readonly latenciesMs: Float64Array;
}

export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export async function drive(
  url: string,
  total: number,
  concurrency: number,
  next: (i: number) => LoadRequest,
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const latencies = new Float64Array(total);
  let issued = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = issued++;
      if (i >= total) return;
      const request = next(i);
      const t0 = performance.now();
      try {
        const res = await pool.request({ ...request, body: request.body ?? null });
        await res.body.arrayBuffer();
        if (res.statusCode >= 300) failures += 1;
      } catch {
        failures += 1;
      }
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: total, failures, seconds, latenciesMs: latencies };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
