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

  it('takes an item at once only while there is room and the queue is open', async () => {
    const q = new BoundedQueue<number>(2);
    const waiting = q.take();
    expect(q.tryPush(1)).toBe(true);
    expect(await waiting).toBe(1);
    expect(q.tryPush(2)).toBe(true);
    expect(q.tryPush(3)).toBe(true);
    expect(q.tryPush(4)).toBe(false);
    expect(q.size).toBe(2);
    q.close();
    expect(q.tryPush(5)).toBe(false);
    expect([await q.take(), await q.take(), await q.take()]).toEqual([2, 3, queueEnd]);
  });
});
