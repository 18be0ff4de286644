// Which Postgres failures are worth a retry: the connection went away (a restart,
// a failover, an administrator's pg_terminate_backend), the server is not taking
// connections yet, or a replication slot is still held by the walsender of the
// connection that just died. Anything else (a missing column, a permission) stays
// fatal, so an operator sees it instead of a silent retry loop.
import { FlussoError, isFlussoError } from '@flusso/core';

const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminated by an administrator or a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '55006', // object_in_use: the slot is still active for a dying walsender
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const TRANSIENT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// node-postgres reports a lost socket with these messages and no code.
const LOST_CONNECTION = /^Connection terminated|connection error and is not queryable|^timeout expired/;

function transientHere(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Class 08: connection exception.
    if (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNOS.has(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/** Whether `error` (or anything in its `cause` chain) is a Postgres failure worth retrying. */
export function isTransientPgError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if (transientHere(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * `error` as flusso reports it: a transient Postgres failure becomes a retryable
 * `source_failed` naming what failed (and the SQLSTATE or errno, never a value);
 * anything else is returned unchanged.
 */
export function asSourceFailure(what: string, error: unknown): unknown {
  if (isFlussoError(error) || !isTransientPgError(error)) return error;
  const code = (error as { code?: unknown }).code;
  return new FlussoError('source_failed', `${what}: lost the Postgres connection`, {
    context: typeof code === 'string' ? { pg_code: code } : {},
    cause: error,
  });
}

/** A Postgres error with an SQLSTATE that no retry will change (a missing publication, a refused statement). */
export function isDeterministicPgError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || isTransientPgError(error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !TRANSIENT_ERRNOS.has(code);
}
