import { describe, expect, it } from 'vitest';
import { parseSnapshot, visibleIn, XidVisibility } from './xid-visibility.js';

describe('xid visibility', () => {
  it('a committed xid below xmin, or below xmax and not in progress, is visible', () => {
    const snap = parseSnapshot('100:110:103,107');
    expect(visibleIn(99, snap)).toBe(true);
    expect(visibleIn(104, snap)).toBe(true);
    expect(visibleIn(103, snap)).toBe(false);
    expect(visibleIn(107, snap)).toBe(false);
    expect(visibleIn(110, snap)).toBe(false);
    expect(visibleIn(111, snap)).toBe(false);
  });

  it('32-bit xids are placed in the snapshot epoch, across the wrap', () => {
    const epoch = 2n ** 32n;
    const snap = parseSnapshot(`${epoch + 5n}:${epoch + 10n}:${epoch + 7n}`);
    expect(visibleIn(4_294_967_290, snap)).toBe(true); // epoch 0, just before the wrap
    expect(visibleIn(6, snap)).toBe(true);
    expect(visibleIn(7, snap)).toBe(false);
    expect(visibleIn(12, snap)).toBe(false);
  });

  it('waits while the transaction is in progress and asks again only for newer xids', async () => {
    const answers = ['100:110:105', '100:110:105', '106:112:', '106:130:'];
    const asked: string[] = [];
    const visibility = new XidVisibility(
      async () => {
        const next = answers.shift() ?? '';
        asked.push(next);
        return next;
      },
      async () => undefined,
    );
    await visibility.wait(105);
    expect(asked).toEqual(['100:110:105', '100:110:105', '106:112:']);
    await visibility.wait(104);
    await visibility.wait(111);
    expect(asked).toHaveLength(3);
    await visibility.wait(120);
    expect(asked).toEqual(['100:110:105', '100:110:105', '106:112:', '106:130:']);
  });
});
