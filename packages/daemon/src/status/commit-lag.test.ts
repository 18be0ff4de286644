import { describe, expect, it } from 'vitest';
import { CommitLag } from './commit-lag.js';

describe('CommitLag', () => {
  it('times each confirmed batch from the arrival of its oldest change, in arrival order', () => {
    const lag = new CommitLag();
    expect(lag.lastMs).toBeNull();
    lag.arrived(0);
    lag.arrived(10);
    lag.arrived(20);
    lag.committed(2, 50);
    expect(lag.lastMs).toBe(50);
    lag.committed(1, 70);
    expect(lag.lastMs).toBe(50);
  });

  it('forgets what was in flight when a run ends', () => {
    const lag = new CommitLag();
    lag.arrived(0);
    lag.reset();
    lag.arrived(100);
    lag.committed(1, 130);
    expect(lag.lastMs).toBe(30);
  });

  it('stays bounded over many batches', () => {
    const lag = new CommitLag();
    for (let i = 0; i < 10_000; i++) {
      lag.arrived(i);
      lag.committed(1, i + 5);
    }
    expect(lag.lastMs).toBe(5);
    expect((lag as unknown as { arrivals: number[] }).arrivals.length).toBeLessThan(2100);
  });
});
