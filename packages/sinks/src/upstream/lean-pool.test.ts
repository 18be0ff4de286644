// The upstream loads undici's Pool without undici's index (what that saves is in
// lean-pool.ts). Run in a fresh process: this worker may have loaded undici whole.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const leanPool = fileURLToPath(new URL('../../dist/upstream/lean-pool.js', import.meta.url));

/** stdout of an ES module script run by a fresh node (async: a server here may answer it). */
async function runFresh(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return stdout;
}

describe('lean undici pool', () => {
  it('answers a request with undici index never loaded', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`${req.method} ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const script = `
      const { Pool } = await import(${JSON.stringify(leanPool)});
      const pool = new Pool('http://127.0.0.1:${port}');
      const reply = await pool.request({ method: 'GET', path: '/probe?x=1' });
      const body = await reply.body.text();
      await pool.close();
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('undici'));
      console.log(JSON.stringify({ status: reply.statusCode, body, index: loaded.some((k) => /undici[\\\\/]index\\.js$/.test(k)), loaded: loaded.length }));
    `;
    try {
      const out = await runFresh(script);
      const result = JSON.parse(out) as { status: number; body: string; index: boolean; loaded: number };
      expect(result.status).toBe(200);
      expect(result.body).toBe('GET /probe?x=1');
      expect(result.index).toBe(false);
      expect(result.loaded).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves undici’s shared Dispatcher prototype as undici left it', async () => {
    const out = await runFresh(
      `await import(${JSON.stringify(leanPool)});
       const { createRequire } = await import('node:module');
       const load = createRequire(${JSON.stringify(leanPool)});
       console.log(typeof load('undici/lib/dispatcher/dispatcher.js').prototype.request);`,
    );
    expect(out.trim()).toBe('undefined');
  });
});
