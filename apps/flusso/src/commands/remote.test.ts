import { PassThrough } from 'node:stream';
import { FlussoError } from '@flusso/core';
import { freePort } from '@flusso/net-kit';
import { describe, expect, it } from 'vitest';
import { indexesCommand } from './remote.js';

describe('remote commands', () => {
  it('report an unreachable private surface as surface_unreachable, not a source failure', async () => {
    const port = await freePort();
    const io = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: {},
      cwd: process.cwd(),
      shutdown: new AbortController().signal,
    };
    const refused = await indexesCommand(['--server', `http://127.0.0.1:${port}`], io).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(FlussoError);
    expect((refused as FlussoError).code).toBe('surface_unreachable');
    expect((refused as FlussoError).retryable).toBe(true);
  });
});
