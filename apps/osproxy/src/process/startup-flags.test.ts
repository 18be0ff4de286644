// Startup runs without TurboFan, and `endStartup` turns it back on: a hot function
// stays unoptimised between the two and is optimised after. Fresh processes: V8
// flags are process-wide.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const startupFlags = fileURLToPath(new URL('../../dist/process/startup-flags.js', import.meta.url));

/** Whether a hot function is TurboFan-optimised after startup, and after `endStartup` if asked. */
async function optimised(end: boolean): Promise<{ during: boolean; after: boolean }> {
  const script = `
    const { beginStartup, endStartup } = await import(${JSON.stringify(startupFlags)});
    beginStartup();
    const hot = (xs) => { let s = 0; for (const x of xs) s += x * 2; return s; };
    const xs = Array.from({ length: 10000 }, (_, i) => i);
    const isOptimised = () => (%GetOptimizationStatus(hot) & 16) !== 0;
    const spin = async () => {
      for (let i = 0; i < 2000; i += 1) hot(xs);
      await new Promise((r) => setTimeout(r, 50)); // concurrent compilation lands
      for (let i = 0; i < 2000; i += 1) hot(xs);
    };
    await spin();
    const during = isOptimised();
    if (${end}) endStartup();
    await spin();
    console.log(JSON.stringify({ during, after: isOptimised() }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--allow-natives-syntax',
    '--input-type=module',
    '-e',
    script,
  ]);
  return JSON.parse(stdout.trim()) as { during: boolean; after: boolean };
}

describe('startup flags', () => {
  it('keep TurboFan off through startup and turn it back on at its end', async () => {
    const [ended, notEnded] = await Promise.all([optimised(true), optimised(false)]);
    expect(ended).toEqual({ during: false, after: true });
    expect(notEnded).toEqual({ during: false, after: false });
  });
});
