// What the proxy adds: the same request mix (searches and writes) sent straight to the upstream and
// through osproxy (and through nginx `proxy_pass` when nginx is installed), at
// concurrency 1, 16 and 64, in one run: added p50/p99 and the throughput ratio.
// The upstream is a fixed-reply server in its own process, so the figures are
// the proxy's work (parse, filter, dispatch, reshape), not the emulator's search.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '@flusso/net-kit';
import { drive, type LoadRequest, type LoadResult, percentile } from './load.js';
import { type Spawned, spawnNodeForwarder, spawnOsproxy, spawnStaticUpstream } from './osproxy-process.js';
import { type Line, report } from './report.js';

// The mix: four searches, then one document write, over and over.
const body = JSON.stringify({ query: { match: { msg: 'x' } }, size: 10 });
const isWrite = (i: number) => i % 5 === 4;
// The direct request is what the proxy itself sends upstream, so both paths do the same work.
const direct: LoadRequest = {
  method: 'POST',
  path: '/osproxy-shared/_search?routing=bench',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: {
      bool: {
        must: [{ match: { msg: 'x' } }],
        filter: [{ term: { _tenant: 'bench' } }, { term: { _index_name: 'orders' } }],
      },
    },
    size: 10,
  }),
};
const proxied: LoadRequest = {
  method: 'POST',
  path: '/orders/_search',
  headers: { 'content-type': 'application/json', 'x-tenant': 'bench' },
  body,
};
const directWrite = (i: number): LoadRequest => ({
  method: 'PUT',
  path: `/osproxy-shared/_doc/bench:orders:${i}?routing=bench`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ tenant_id: 'bench', msg: 'x', i, _tenant: 'bench', _index_name: 'orders' }),
});
const proxiedWrite = (i: number): LoadRequest => ({
  method: 'PUT',
  path: `/orders/_doc/${i}`,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ tenant_id: 'bench', msg: 'x', i }),
});
const directMix = (i: number) => (isWrite(i) ? directWrite(i) : direct);
const proxiedMix = (i: number) => (isWrite(i) ? proxiedWrite(i) : proxied);

function summary(result: LoadResult): { p50: number; p99: number; rps: number } {
  const sorted = result.latenciesMs.slice().sort();
  if (result.failures > 0) throw new Error(`overhead: ${result.failures} requests failed`);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), rps: result.requests / result.seconds };
}

async function startNginx(upstream: string): Promise<Spawned | undefined> {
  if (spawnSync('nginx', ['-v']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir};
  upstream os { server ${upstream.replace('http://', '')}; keepalive 64; }
  server { listen 127.0.0.1:${port};
    location / { proxy_pass http://os; proxy_http_version 1.1; proxy_set_header Connection ""; } } }\n`,
  );
  const proc = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await waitForPort(port, { what: 'nginx', gaveUp: () => proc.exitCode !== null });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: proc.pid ?? 0,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function osproxyOverheadBench(requests: number): Promise<void> {
  const emulator = await spawnStaticUpstream();
  const proxy = await spawnOsproxy(emulator.url);
  const nginx = await startNginx(emulator.url);
  const floor = await spawnNodeForwarder(emulator.url);
  try {
    const lines: Line[] = [];
    for (const concurrency of [1, 16, 64]) {
      await drive(emulator.url, 200, concurrency, directMix); // warm-up
      await drive(proxy.url, 200, concurrency, proxiedMix);
      const d = summary(await drive(emulator.url, requests, concurrency, directMix));
      const p = summary(await drive(proxy.url, requests, concurrency, proxiedMix));
      lines.push(
        [`c=${concurrency} direct p50`, d.p50 * 1000, 'µs'],
        [`c=${concurrency} direct p99`, d.p99 * 1000, 'µs'],
        [`c=${concurrency} direct throughput`, d.rps, 'req/s'],
        [`c=${concurrency} osproxy added p50`, (p.p50 - d.p50) * 1000, 'µs'],
        [`c=${concurrency} osproxy added p99`, (p.p99 - d.p99) * 1000, 'µs'],
        [`c=${concurrency} osproxy throughput ratio`, p.rps / d.rps, ''],
      );
      await drive(floor.url, 200, concurrency, directMix);
      const f = summary(await drive(floor.url, requests, concurrency, directMix));
      lines.push(
        [`c=${concurrency} bare Node pipe added p50`, (f.p50 - d.p50) * 1000, 'µs'],
        [`c=${concurrency} bare Node pipe throughput ratio`, f.rps / d.rps, ''],
      );
      if (nginx !== undefined) {
        await drive(nginx.url, 200, concurrency, directMix);
        const n = summary(await drive(nginx.url, requests, concurrency, directMix));
        lines.push(
          [`c=${concurrency} nginx added p50`, (n.p50 - d.p50) * 1000, 'µs'],
          [`c=${concurrency} nginx added p99`, (n.p99 - d.p99) * 1000, 'µs'],
          [`c=${concurrency} nginx throughput ratio`, n.rps / d.rps, ''],
        );
      }
    }
    if (nginx === undefined)
      console.log('  (nginx not installed: no nginx proxy_pass comparison in this run)');
    report('osproxy-overhead', { requests }, lines);
  } finally {
    await nginx?.stop();
    await floor.stop();
    await proxy.stop();
    await emulator.stop();
  }
}
