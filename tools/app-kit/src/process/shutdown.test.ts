import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ExitCode } from './exit-code.js';
import { onShutdownSignals } from './shutdown.js';

describe('onShutdownSignals', () => {
  it('drains once on the first signal and exits 0 when the drain succeeds', async () => {
    const source = new EventEmitter();
    const seen: string[] = [];
    const code = onShutdownSignals(
      async (signal) => {
        seen.push(signal);
      },
      { source },
    );
    source.emit('SIGTERM');
    expect(await code).toBe(ExitCode.ok);
    expect(seen).toEqual(['SIGTERM']);
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 1 when the drain fails', async () => {
    const source = new EventEmitter();
    const code = onShutdownSignals(() => Promise.reject(new Error('stuck')), { source });
    source.emit('SIGINT');
    expect(await code).toBe(ExitCode.failure);
  });

  it('stops listening once `until` aborts', () => {
    const source = new EventEmitter();
    const until = new AbortController();
    let stops = 0;
    void onShutdownSignals(
      async () => {
        stops += 1;
      },
      { source, until: until.signal },
    );
    until.abort();
    source.emit('SIGTERM');
    expect(stops).toBe(0);
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  it('forces on a second signal while draining', async () => {
    const source = new EventEmitter();
    let release = () => {};
    let forced = 0;
    const code = onShutdownSignals(() => new Promise<void>((r) => (release = r)), {
      source,
      onForce: () => (forced += 1),
    });
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(forced).toBe(1);
    release();
    expect(await code).toBe(ExitCode.ok);
  });
});
