import { describe, expect, it } from 'vitest';
import { InflightLimiter } from './inflight-limiter.js';

describe('InflightLimiter', () => {
  it('refuses a tenant past its share while another tenant is still served', () => {
    const limiter = new InflightLimiter({ maxBytes: 1000, maxBytesPerTenant: 300 });
    const a1 = limiter.open('acme');
    const a2 = limiter.open('acme');
    expect(a1.charge(200)).toBe(true);
    expect(a2.charge(200)).toBe(false);
    expect(limiter.open('globex').charge(250)).toBe(true);
    expect(limiter.bytesOf('acme')).toBe(200);
    expect(limiter.bytes).toBe(450);
  });

  it('refuses anyone past the global cap', () => {
    const limiter = new InflightLimiter({ maxBytes: 500, maxBytesPerTenant: 400 });
    expect(limiter.open('a').charge(300)).toBe(true);
    expect(limiter.open('b').charge(300)).toBe(false);
  });

  it('charges as bytes arrive, chunk by chunk', () => {
    const limiter = new InflightLimiter({ maxBytes: 1000, maxBytesPerTenant: 100 });
    const slow = limiter.open('acme');
    for (let i = 0; i < 9; i++) expect(slow.charge(10)).toBe(true);
    const other = limiter.open('acme');
    expect(other.charge(20)).toBe(false);
    expect(other.charge(10)).toBe(true);
  });

  it('lets a request that holds every byte in flight grow past the caps', () => {
    const limiter = new InflightLimiter({ maxBytes: 100, maxBytesPerTenant: 50 });
    const lone = limiter.open('acme');
    expect(lone.charge(80)).toBe(true);
    expect(lone.charge(80)).toBe(true);
    expect(limiter.open('globex').charge(1)).toBe(false);
  });

  it('returns everything a reservation charged on release, once', () => {
    const limiter = new InflightLimiter({ maxBytes: 100, maxBytesPerTenant: 100 });
    const r = limiter.open('acme');
    r.charge(60);
    r.charge(30);
    r.release();
    r.release();
    expect(limiter.bytes).toBe(0);
    expect(limiter.bytesOf('acme')).toBe(0);
    expect(limiter.open('globex').charge(100)).toBe(true);
  });
});
