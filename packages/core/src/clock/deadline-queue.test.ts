import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue, Due } from './deadline-queue.js';

class Request extends Due {
  expiredAt: number | undefined;
  constructor(readonly name: string) {
    super();
  }
  expire(): void {
    this.expiredAt = performance.now();
  }
}

describe('DeadlineQueue', () => {
  it('expires what is still queued once its timeout has passed, and nothing removed', async () => {
    const queue = new DeadlineQueue(30);
    const [a, b, c] = [new Request('a'), new Request('b'), new Request('c')];
    const started = performance.now();
    queue.add(a);
    queue.add(b);
    queue.add(c);
    queue.remove(b);
    expect(queue.size).toBe(2);
    await sleep(80);
    expect(a.expiredAt).toBeGreaterThanOrEqual(started + 30);
    expect(c.expiredAt).toBeGreaterThanOrEqual(started + 30);
    expect(b.expiredAt).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('keeps a later entry until its own deadline when an earlier one fires', async () => {
    const queue = new DeadlineQueue(40);
    const first = new Request('first');
    queue.add(first);
    await sleep(25);
    const second = new Request('second');
    const secondAdded = performance.now();
    queue.add(second);
    await sleep(30); // first is due (55 > 40), second is not (30 < 40)
    expect(first.expiredAt).toBeDefined();
    expect(second.expiredAt).toBeUndefined();
    await sleep(40);
    expect(second.expiredAt).toBeGreaterThanOrEqual(secondAdded + 40);
  });

  it('re-arms after the head it was armed for was removed', async () => {
    const queue = new DeadlineQueue(30);
    const removed = new Request('removed');
    queue.add(removed);
    await sleep(15);
    const kept = new Request('kept');
    const keptAdded = performance.now();
    queue.add(kept);
    queue.remove(removed);
    await sleep(25); // the timer armed for `removed` fires with nothing due yet
    expect(kept.expiredAt).toBeUndefined();
    await sleep(40);
    expect(kept.expiredAt).toBeGreaterThanOrEqual(keptAdded + 30);
  });

  it('unlinks from the middle, head and tail, and tolerates a second remove', () => {
    const queue = new DeadlineQueue(60_000);
    const entries = ['a', 'b', 'c', 'd'].map((n) => new Request(n));
    for (const e of entries) queue.add(e);
    const [a, b, c, d] = entries as [Request, Request, Request, Request];
    queue.remove(b);
    queue.remove(a);
    queue.remove(d);
    queue.remove(d);
    expect(queue.size).toBe(1);
    queue.remove(c);
    expect(queue.size).toBe(0);
    queue.add(a);
    expect(queue.size).toBe(1);
    queue.remove(a);
  });
});
