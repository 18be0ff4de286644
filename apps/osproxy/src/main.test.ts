import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

/** Runs `main` in-process and returns its exit code and what it wrote to stdout. */
async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const code = await main(argv, {});
  return { code, stdout };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('osproxy --help and --version', () => {
  it('osproxy --help prints the serve usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: osproxy [flags]');
    expect(stdout).toContain('OSPROXY_');
  });

  it('osproxy -h after other flags still prints the usage', async () => {
    const { code, stdout } = await run(['--bind', '127.0.0.1:0', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: osproxy');
  });

  it('osproxy --version prints the package version', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('osproxy apply --help prints the apply usage', async () => {
    const { code, stdout } = await run(['apply', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: osproxy apply [flags]');
  });

  it('osproxy apply --version prints the package version', async () => {
    const { code, stdout } = await run(['apply', '--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
