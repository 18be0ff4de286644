import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

/** Runs `main` in-process; returns the exit code and both streams' text. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _encoding, done) {
        out[key] += String(chunk);
        done();
      },
    });
  const code = await main(argv, {
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    env: {},
    cwd: process.cwd(),
    shutdown: new AbortController().signal,
  });
  return { code, ...out };
}

describe('flusso --help and --version', () => {
  it('flusso --help prints the command list on stdout and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: flusso <command> [flags]');
  });

  it('flusso run --help prints the run usage without running anything', async () => {
    const { code, stdout } = await run(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('usage: flusso run');
    expect(stdout).toContain('--otlp-endpoint');
  });

  it('every command answers --help with its own usage', async () => {
    for (const command of ['build', 'check', 'schema', 'indexes', 'reindex', 'dlq']) {
      const { code, stdout } = await run([command, '-h']);
      expect(code).toBe(0);
      expect(stdout).toContain(`flusso ${command}`);
    }
  });

  it('flusso --version prints the package version', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('flusso without a command prints the usage on stderr and exits 2', async () => {
    const { code, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: flusso');
  });
});
