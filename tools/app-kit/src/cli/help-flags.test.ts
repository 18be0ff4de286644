import { describe, expect, it } from 'vitest';
import { helpRequest, packageVersion } from './help-flags.js';

describe('helpRequest', () => {
  it('finds --help, -h and --version anywhere before --', () => {
    expect(helpRequest(['--bind', ':1', '--help'])).toBe('help');
    expect(helpRequest(['-h'])).toBe('help');
    expect(helpRequest(['--version'])).toBe('version');
    expect(helpRequest(['--bind', ':1'])).toBeUndefined();
    expect(helpRequest(['--', '--help'])).toBeUndefined();
  });
});

describe('packageVersion', () => {
  it('reads the version of a package.json', () => {
    expect(packageVersion(new URL('../../package.json', import.meta.url))).toMatch(/^\d+\.\d+\.\d+/);
  });
});
