import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Tripwire } from './tripwire.js';

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** How many of `count` values raced against `race` are still reachable after a GC. */
async function retained(count: number, race: (work: Promise<object>) => Promise<unknown>): Promise<number> {
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < count; i++) {
    const value = { payload: new Array(64).fill(i) };
    refs.push(new WeakRef(value));
    await race(Promise.resolve(value));
  }
  await tick();
  gc();
  await tick();
  return refs.filter((r) => r.deref() !== undefined).length;
}

describe('Tripwire', () => {
  it('holds nothing of what raced it while the event has not come', async () => {
    const pending = new Promise<never>(() => undefined);
    const wire = new Tripwire(pending);
    // The last value may still sit in this test's own frame; none of the others may.
    expect(await retained(200, (work) => wire.race(work))).toBeLessThanOrEqual(1);
  });

  it('is the class of leak it replaces: Promise.race keeps every value until the event', async () => {
    const pending = new Promise<never>(() => undefined);
    expect(await retained(200, (work) => Promise.race([work, pending]))).toBeGreaterThan(190);
  });

  it('settles as the work does while the event has not come', async () => {
    const wire = new Tripwire(new Promise<never>(() => undefined));
    await expect(wire.race(Promise.resolve(7))).resolves.toBe(7);
    await expect(wire.race(Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
  });

  it('rejects every waiting racer, and every later one, with the failure', async () => {
    let fail: (error: Error) => void = () => undefined;
    const wire = new Tripwire(new Promise<never>((_, reject) => (fail = reject)));
    const waiting = wire.race(new Promise(() => undefined));
    fail(new Error('reindex failed'));
    await expect(waiting).rejects.toThrow('reindex failed');
    await expect(wire.race(new Promise(() => undefined))).rejects.toThrow('reindex failed');
  });

  it('resolves racers on an abort, also one that came before it was made', async () => {
    const controller = new AbortController();
    const wire = Tripwire.onAbort(controller.signal);
    const waiting = wire.race(new Promise<string>(() => undefined));
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    const early = Tripwire.onAbort(AbortSignal.abort());
    await expect(early.race(new Promise(() => undefined))).resolves.toBeUndefined();
  });
});
