import { describe, expect, it } from 'vitest';
import { isoDate, isoTimestamp } from './temporal.js';

const notes: string[] = [];
const note = (n: string) => notes.push(n);

describe('temporal values', () => {
  it('turns BC years into astronomical ISO years', () => {
    expect(isoDate('0044-03-15 BC', note)).toBe('-0043-03-15');
    expect(isoDate('0001-01-01 BC', note)).toBe('0000-01-01');
    expect(isoDate('2024-02-29', note)).toBe('2024-02-29');
    expect(isoDate('12345-01-01', note)).toBe('+12345-01-01');
    expect(isoTimestamp('0044-03-15T12:00:00+00:00 BC', note)).toBe('-0043-03-15T12:00:00+00:00');
    expect(isoTimestamp('0044-03-15T12:00:00.5 BC', note)).toBe('-0043-03-15T12:00:00.5Z');
  });

  it('normalises zones and puts times on 1970-01-01', () => {
    expect(isoTimestamp('2024-01-02T03:04:05+00', note)).toBe('2024-01-02T03:04:05+00:00');
    expect(isoTimestamp('2024-01-02 03:04:05+0530', note)).toBe('2024-01-02T03:04:05+05:30');
    expect(isoTimestamp('2024-01-02T03:04:05', note)).toBe('2024-01-02T03:04:05Z');
    expect(isoTimestamp('2024-01-02', note)).toBe('2024-01-02');
    expect(isoTimestamp('13:45:56.789', note)).toBe('1970-01-01T13:45:56.789Z');
    expect(isoTimestamp('13:45:56+02', note)).toBe('1970-01-01T13:45:56+02:00');
  });

  it("puts Postgres's end of day (time 24:00:00) on the next day's midnight, hours staying 0-23", () => {
    expect(isoTimestamp('24:00:00', note)).toBe('1970-01-02T00:00:00Z');
    expect(isoTimestamp('24:00:00+02', note)).toBe('1970-01-02T00:00:00+02:00');
    expect(isoTimestamp('23:59:59.999999', note)).toBe('1970-01-01T23:59:59.999999Z');
  });

  it('turns infinities into null and counts them', () => {
    notes.length = 0;
    expect(isoTimestamp('infinity', note)).toBeNull();
    expect(isoDate('-infinity', note)).toBeNull();
    expect(notes).toEqual(['infinite_date', 'infinite_date']);
  });
});
