import type { Change } from '@flusso/core';
import { type AckLog, ManualClock, userChange } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../queue/bounded-queue.js';
import { nextBatch } from './batcher.js';

const log: AckLog = { acked: [] };

describe('nextBatch', () => {
  it('closeWhenIdle: closes at an empty queue at once while nothing is in flight', async () => {
    const queue = new BoundedQueue<Change>(16);
    await queue.push(userChange(1, 0, log));
    const policy = { maxChanges: 256, maxDelayMs: 50, closeWhenIdle: true };
    // The manual clock never advances: waiting out the window would hang.
    const batch = await nextBatch(queue, policy, new ManualClock(0), () => true);
    expect(batch?.changes).toHaveLength(1);
  });

  it('closeWhenIdle: changes the capture already holds (a transaction arriving together) join the batch', async () => {
    const queue = new BoundedQueue<Change>(16);
    await queue.push(userChange(1, 0, log));
    const policy = { maxChanges: 256, maxDelayMs: 50, closeWhenIdle: true };
    const pending = nextBatch(queue, policy, new ManualClock(0), () => true);
    // The pump hands the rest of the transaction over one change at a time, without a timer.
    void (async () => {
      for (const seq of [1, 2, 3]) await queue.push(userChange(seq + 1, seq, log));
    })();
    expect((await pending)?.changes).toHaveLength(4);
  });

  it('closeWhenIdle: waits out the window while a batch is in flight, gathering later changes', async () => {
    const queue = new BoundedQueue<Change>(16);
    const clock = new ManualClock(0);
    await queue.push(userChange(1, 0, log));
    const policy = { maxChanges: 256, maxDelayMs: 50, closeWhenIdle: true };
    const pending = nextBatch(queue, policy, clock, () => false);
    await queue.push(userChange(2, 1, log));
    await new Promise((r) => setTimeout(r, 0));
    clock.advance(50);
    expect((await pending)?.changes).toHaveLength(2);
  });
});
