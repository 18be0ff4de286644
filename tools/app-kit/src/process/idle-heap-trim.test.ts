import { describe, expect, it } from 'vitest';
import { trimHeapWhenIdle } from './idle-heap-trim.js';

describe('trimHeapWhenIdle', () => {
  it('trims once (two collections) after a burst of allocation, then stays quiet while idle', async () => {
    const trims: number[] = [];
    const stop = trimHeapWhenIdle({ tickMs: 50, minGcs: 2, onTrim: ({ rssBytes }) => trims.push(rssBytes) });
    try {
      // A burst: enough short-lived garbage for several young-generation collections.
      let keep = 0;
      for (let i = 0; i < 200_000; i++) keep += JSON.stringify({ i, pad: 'x'.repeat(64) }).length;
      expect(keep).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 600));
      expect(trims.length).toBe(2);
      expect(trims[0]).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(trims.length).toBe(2);
    } finally {
      stop();
    }
  });
});
