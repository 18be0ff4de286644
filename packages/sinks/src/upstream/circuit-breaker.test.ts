import { ManualClock } from '@flusso/core/testing';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function breaker(threshold = 2, cooldownMs = 1_000) {
  const clock = new ManualClock();
  return { clock, b: new CircuitBreaker({ clock, threshold, cooldownMs }) };
}

describe('CircuitBreaker', () => {
  it('opens only after consecutive failures; a success in between resets the count', () => {
    const { b } = breaker(2);
    b.admit();
    b.failure();
    b.admit();
    b.success();
    b.admit();
    b.failure();
    expect(b.state).toBe('closed');
    b.admit();
    b.failure();
    expect(b.state).toBe('open');
    expect(b.admit()).toBe(false);
  });

  it('lets exactly one trial through after the cooldown, and a failed trial restarts the cooldown', () => {
    const { b, clock } = breaker(1, 1_000);
    b.admit();
    b.failure();
    clock.advance(999);
    expect(b.admit()).toBe(false);
    clock.advance(1);
    expect(b.state).toBe('half_open');
    expect(b.admit()).toBe(true);
    expect(b.admit()).toBe(false);
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(999);
    expect(b.admit()).toBe(false);
    clock.advance(1);
    expect(b.admit()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.admit()).toBe(true);
  });

  it('frees the trial slot when an admitted request tells nothing about the upstream', () => {
    const { b, clock } = breaker(1, 10);
    b.admit();
    b.failure();
    clock.advance(10);
    expect(b.admit()).toBe(true);
    b.release();
    expect(b.admit()).toBe(true);
  });
});
