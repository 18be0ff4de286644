import { describe, expect, it } from 'vitest';
import { isFlussoError } from '../errors/flusso-error.js';
import { formatLsn, parseLsn } from './lsn.js';

describe('Lsn', () => {
  it('parses and prints X/Y round trip', () => {
    for (const text of ['0/0', '16/B374D848', 'FFFFFFFF/FFFFFFFF', '1/A']) {
      expect(formatLsn(parseLsn(text))).toBe(text);
    }
  });

  it('orders as a 64-bit number', () => {
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
  });

  it('rejects malformed text with a typed error', () => {
    for (const bad of ['', '16', '16/', 'G/1', '1/2/3', '123456789/0']) {
      expect(() => parseLsn(bad)).toThrowError(expect.objectContaining({ code: 'invalid_lsn' }));
    }
    try {
      parseLsn('nope');
    } catch (e) {
      expect(isFlussoError(e, 'invalid_lsn')).toBe(true);
    }
  });
});
