import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type YoungHeap, youngGenerationOnLive } from './young-generation.js';

const options = { checkMs: 1000, quietChecks: 2, trimAboveBytes: 4 };

function fakeHeap(resident: number) {
  const heap = {
    resident,
    grows: 0,
    collections: 0,
    residentBytes: () => heap.resident,
    allowGrowth: () => {
      heap.grows += 1;
    },
    collect: () => {
      heap.collections += 1;
      heap.resident = 1;
    },
  };
  return heap satisfies YoungHeap;
}

describe('youngGenerationOnLive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets the young generation grow only once live', () => {
    const heap = fakeHeap(8);
    const observer = youngGenerationOnLive(options, heap);
    observer.onBackfillProgress?.('users' as never, 10, null);
    vi.advanceTimersByTime(10_000);
    expect(heap.grows).toBe(0);
    expect(heap.collections).toBe(0);
    observer.onLiveStarted?.();
    observer.onLiveStarted?.();
    expect(heap.grows).toBe(1);
    observer.onStopped?.();
  });

  it('collects once after the stream has been quiet for the set number of checks', () => {
    const heap = fakeHeap(8);
    const observer = youngGenerationOnLive(options, heap);
    observer.onLiveStarted?.();
    for (let i = 0; i < 5; i++) {
      observer.onChangeCaptured?.();
      vi.advanceTimersByTime(1000);
    }
    expect(heap.collections).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(heap.collections).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(heap.collections).toBe(1);
    // Still quiet, young generation already small: nothing more.
    heap.resident = 8;
    vi.advanceTimersByTime(10_000);
    expect(heap.collections).toBe(1);
    // Work grows it again; the next quiet spell trims again.
    observer.onFlushed?.({} as never);
    vi.advanceTimersByTime(3000);
    expect(heap.collections).toBe(2);
    observer.onStopped?.();
  });

  it('leaves a young generation that never grew past the threshold alone', () => {
    const heap = fakeHeap(4);
    const observer = youngGenerationOnLive(options, heap);
    observer.onLiveStarted?.();
    vi.advanceTimersByTime(10_000);
    expect(heap.collections).toBe(0);
    observer.onStopped?.();
  });

  it('stops looking once the pipeline stops', () => {
    const heap = fakeHeap(8);
    const observer = youngGenerationOnLive(options, heap);
    observer.onLiveStarted?.();
    observer.onStopped?.();
    vi.advanceTimersByTime(10_000);
    expect(heap.collections).toBe(0);
  });
});
