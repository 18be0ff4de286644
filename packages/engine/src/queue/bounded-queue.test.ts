import { describe, expect, it } from 'vitest';
import { BoundedQueue, queueEnd } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('holds a producer back while full and releases it when a reader takes', async () => {
    const q = new BoundedQueue<number>(1);
    await q.push(1);
    let second = false;
    const pushing = q.push(2).then(() => {
      second = true;
    });
    await Promise.resolve();
    expect(second).toBe(false);
    expect(await q.take()).toBe(1);
    await pushing;
    expect(second).toBe(true);
    expect(await q.take()).toBe(2);
  });

  it('lets readers drain after close, then reports the end', async () => {
    const q = new BoundedQueue<string>(4);
    await q.push('a');
    q.close();
    expect(await q.push('b')).toBe(false);
    expect(await q.take()).toBe('a');
    expect(await q.take()).toBe(queueEnd);
  });
});
