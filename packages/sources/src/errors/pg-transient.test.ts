import { FlussoError, isFlussoError } from '@flusso/core';
import { createTestDatabase } from '@flusso/pg-harness';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asSourceFailure, isDeterministicPgError, isTransientPgError } from './pg-transient.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientPgError', () => {
  it('retries lost connections, a server not accepting yet and a slot still held', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '55006', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(isTransientPgError(withCode(code)), code).toBe(true);
    }
    expect(isTransientPgError(new Error('Connection terminated unexpectedly'))).toBe(true);
    const wrapped = new FlussoError('source_failed', 'stream', { cause: withCode('57P01') });
    expect(isTransientPgError(wrapped)).toBe(true);
  });

  it('keeps schema and permission errors fatal', () => {
    for (const code of ['42703', '42P01', '42501', '22P02'])
      expect(isTransientPgError(withCode(code))).toBe(false);
    expect(isTransientPgError(new Error('boom'))).toBe(false);
    expect(isTransientPgError(undefined)).toBe(false);
  });

  it('calls an SQLSTATE error deterministic unless it is transient', () => {
    expect(isDeterministicPgError(withCode('42704', 'publication "p" does not exist'))).toBe(true);
    expect(isDeterministicPgError(withCode('42710'))).toBe(true);
    for (const code of ['57P01', '08006', '55006', 'ECONNRESET'])
      expect(isDeterministicPgError(withCode(code)), code).toBe(false);
    expect(isDeterministicPgError(new Error('boom'))).toBe(false);
  });

  it('turns a backend terminated mid-query into a retryable source_failed naming only the SQLSTATE', async () => {
    const db = await createTestDatabase();
    const victim = new pg.Client({ connectionString: db.url });
    victim.on('error', () => undefined);
    await victim.connect();
    try {
      const pid = (await victim.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      // The outcome is caught at once: a slow machine may see the termination before
      // the test awaits it, and an unobserved rejection would fail the whole run.
      const running = victim.query('SELECT pg_sleep(10)').then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 100));
      await db.sql('SELECT pg_terminate_backend($1)', [pid]);
      const error = await running;
      const reported = asSourceFailure('build query', error);
      expect(isFlussoError(reported, 'source_failed')).toBe(true);
      expect(reported).toMatchObject({
        retryable: true,
        message: 'build query: lost the Postgres connection',
        context: { pg_code: '57P01' },
      });
      const fatal = withCode('42703', 'column "secret_value" does not exist');
      expect(asSourceFailure('build query', fatal)).toBe(fatal);
    } finally {
      await victim.end().catch(() => undefined);
      await db.close();
    }
  });
});
