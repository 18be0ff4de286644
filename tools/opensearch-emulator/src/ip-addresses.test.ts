import { describe, expect, it } from 'vitest';
import { normalizeIp } from './ip-addresses.js';

describe('ip addresses as terms keys', () => {
  it('writes IPv6 in RFC 5952 form and IPv4-mapped addresses as IPv4', () => {
    expect(normalizeIp('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(normalizeIp('::1')).toBe('::1');
    expect(normalizeIp('2001:0DB8:0000:0000:0001:0000:0000:0001')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(normalizeIp('127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::')).toBe('::');
  });

  it('leaves what is not an address alone', () => {
    expect(normalizeIp('999.1.1.1')).toBeUndefined();
    expect(normalizeIp('1::2::3')).toBeUndefined();
    expect(normalizeIp('host')).toBeUndefined();
    expect(normalizeIp(42)).toBeUndefined();
  });
});
