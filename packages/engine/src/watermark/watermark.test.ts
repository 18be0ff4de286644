import { describe, expect, it } from 'vitest';
import { Watermark } from './watermark.js';

describe('Watermark', () => {
  it('releases a batch only when every lane acknowledged it', () => {
    const w = new Watermark(['primary', 'audit']);
    const released: number[] = [];
    const t1 = w.register(() => released.push(1));
    w.ack('primary', t1);
    expect(released).toEqual([]);
    w.ack('audit', t1);
    expect(released).toEqual([1]);
  });

  it('releases in ticket order and holds at the slowest lane', () => {
    const w = new Watermark(['fast', 'slow']);
    const released: number[] = [];
    const t1 = w.register(() => released.push(1));
    const t2 = w.register(() => released.push(2));
    const t3 = w.register(() => released.push(3));
    w.ack('fast', t3);
    w.ack('slow', t1);
    expect(released).toEqual([1]);
    expect(w.position).toBe(t1);
    w.ack('slow', t3);
    expect(released).toEqual([1, 2, 3]);
    expect(t2).toBe(2);
    expect(w.inFlight).toBe(0);
  });
});
