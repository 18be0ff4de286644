import type { Lsn } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { CommitTracker } from './commit-tracker.js';

describe('CommitTracker', () => {
  it('does not confirm a commit before all its changes are acked', () => {
    const t = new CommitTracker(0n as Lsn);
    const a = t.change(1);
    const b = t.change(1);
    t.commit(1, 100n);
    a();
    expect(t.confirmed).toBe(0n);
    b();
    expect(t.confirmed).toBe(100n);
  });

  it('advances only over a contiguous run of confirmed commits', () => {
    const t = new CommitTracker(0n as Lsn);
    const first = t.change(1);
    t.commit(1, 100n);
    const second = t.change(2);
    t.commit(2, 200n);
    second();
    expect(t.confirmed).toBe(0n);
    first();
    expect(t.confirmed).toBe(200n);
  });

  it('confirms an empty commit at once, and moves to the WAL end when idle', () => {
    const t = new CommitTracker(0n as Lsn);
    t.begin(5);
    t.commit(5, 50n);
    expect(t.confirmed).toBe(50n);
    t.idleAt(80n);
    expect(t.confirmed).toBe(80n);
    const ack = t.change(6);
    t.idleAt(90n);
    expect(t.confirmed).toBe(80n);
    ack();
  });

  it('drops an aborted streamed transaction without holding later commits', () => {
    const t = new CommitTracker(0n as Lsn);
    const streamed = t.change(7);
    t.abort(7);
    streamed();
    const other = t.change(8);
    t.commit(8, 300n);
    other();
    expect(t.confirmed).toBe(300n);
    expect(t.idle).toBe(true);
  });

  it('never moves to the WAL end while a streamed transaction is open', () => {
    const t = new CommitTracker(0n as Lsn);
    t.begin(9);
    t.idleAt(500n);
    expect(t.confirmed).toBe(0n);
    t.commit(9, 600n);
    expect(t.confirmed).toBe(600n);
  });
});
