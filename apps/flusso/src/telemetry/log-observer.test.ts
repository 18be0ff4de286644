import { Writable } from 'node:stream';
import { parseIndexName } from '@flusso/core';
import { ManualClock } from '@flusso/core/testing';
import { Status, statusObserver } from '@flusso/daemon';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { logObserver, PROGRESS_LOG_INTERVAL_MS } from './log-observer.js';

const users = parseIndexName('users');

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, stream) };
}

function backfill(tty: { write: (s: string) => boolean } | null) {
  const clock = new ManualClock(0);
  const status = new Status([users], clock);
  const { lines, log } = capture();
  const observers = [
    statusObserver(status),
    logObserver(
      log,
      () => status,
      tty,
      () => clock.now(),
    ),
  ];
  const emit = (rows: number) => {
    for (const o of observers) o.onBackfillProgress?.(users, rows, 1000);
  };
  for (const o of observers) o.onBackfillStarted?.(users, ['primary'], 1000);
  return { clock, lines, emit };
}

describe('backfill progress', () => {
  it('logs a JSON progress record every few seconds when stderr is not a terminal', () => {
    const { clock, lines, emit } = backfill(null);
    clock.advance(1000);
    emit(100);
    expect(lines.filter((l) => l.includes('backfill progress'))).toEqual([]);
    clock.advance(PROGRESS_LOG_INTERVAL_MS);
    emit(600);
    const records = lines.filter((l) => l.includes('backfill progress')).map((l) => JSON.parse(l));
    expect(records).toEqual([
      expect.objectContaining({
        index: 'users',
        rows_done: 600,
        rows_total: 1000,
        rows_per_second: 100,
        eta_seconds: 4,
      }),
    ]);
  });

  it('draws one updating line with rows, rate and ETA on a terminal', () => {
    const written: string[] = [];
    const { clock, emit, lines } = backfill({ write: (s) => written.push(s) > 0 });
    clock.advance(2000);
    emit(500);
    expect(written).toEqual(['\rusers: 500/1000 rows, 250 rows/s, ETA 2s   ']);
    expect(lines.filter((l) => l.includes('backfill progress'))).toEqual([]);
  });
});
