import { describe, expect, it } from 'vitest';
import { isFlussoError } from '../errors/flusso-error.js';
import { nextEpoch, parseEpoch } from './epoch.js';

describe('Epoch', () => {
  it('accepts non-negative safe integers and counts up', () => {
    expect(nextEpoch(parseEpoch(0))).toBe(1);
    expect(nextEpoch(parseEpoch(41))).toBe(42);
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('rejects %s with invalid_value', (n) => {
    let caught: unknown;
    try {
      parseEpoch(n);
    } catch (error) {
      caught = error;
    }
    expect(isFlussoError(caught, 'invalid_value')).toBe(true);
  });
});
