// Smoke tests of `pnpm demo`: its help, and that the flusso + osproxy config builds and checks.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compileConfig } from '@flusso/daemon';
import { describe, expect, it } from 'vitest';
import { osproxyLayoutFindings } from './commands/check-osproxy-layout.js';
import { demoTokensEnv, togetherDir, togetherInstructions } from './demo-together.js';

describe('pnpm demo', () => {
  it('prints its usage with --help, naming --flusso-only, and starts nothing', async () => {
    const demo = join(togetherDir, '..', '..', 'dist', 'demo.js');
    const { stdout } = await promisify(execFile)(process.execPath, [demo, '--help']);
    expect(stdout).toContain('--flusso-only');
  });

  it('builds the flusso + osproxy config: osproxy layout, a tenant, no conflicting mapping', async () => {
    const lock = compileConfig(join(togetherDir, 'flusso.toml'));
    expect(lock.config.sinks.primary).toMatchObject({ layout: 'osproxy', osproxy_index: 'osproxy-shared' });
    expect(lock.indexes[0]?.schema).toMatchObject({ tenant: { column: 'org_id', path: [] } });
    expect(osproxyLayoutFindings(lock)).toEqual([]);
  });

  it('gives osproxy one token per organisation and shows both tokens in what to try', () => {
    expect(demoTokensEnv()).toBe('token-a=app-org-a:org-a,token-b=app-org-b:org-b');
    const text = togetherInstructions('postgres://x', {
      flussoPublic: 1,
      flussoPrivate: 2,
      proxy: 3,
      proxyAdmin: 4,
    });
    expect(text).toContain('Bearer token-a');
    expect(text).toContain('Bearer token-b');
  });
});
