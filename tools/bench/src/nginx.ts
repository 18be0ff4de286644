// nginx `proxy_pass` with upstream keep-alive, the osproxy-overhead peer, when
// nginx is on the PATH (one worker process; its CPU is the master's child's).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '@flusso/net-kit';
import type { Spawned } from './osproxy-process.js';

export async function startNginx(upstream: string): Promise<Spawned | undefined> {
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
