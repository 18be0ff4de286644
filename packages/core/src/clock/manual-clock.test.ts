import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('wakes a sleeper only when time is advanced past its due time', async () => {
    const clock = new ManualClock(0);
    let woke = false;
    const sleeping = clock.sleep(10 * 60 * 60 * 1000).then(() => {
      woke = true;
    });
    clock.advance(60 * 1000);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(10 * 60 * 60 * 1000);
    await sleeping;
    expect(woke).toBe(true);
    expect(clock.now()).toBe(10 * 60 * 60 * 1000 + 60 * 1000);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const sleeping = clock.sleep(1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleepers).toBe(0);
  });
});
