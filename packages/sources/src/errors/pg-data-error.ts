// A build query that failed on a row's data, not on the connection or the query
// itself: a division by zero, an overflow, bytes not valid in the client encoding
// (a SQL_ASCII database sending non-UTF-8 text), a function raising on a value.
// Such a failure is one document's (or a few): the engine splits the batch to find
// it. Its message is never kept: Postgres quotes the offending value in it.
import { FlussoError, type IndexName } from '@flusso/core';
import { isTransientPgError } from './pg-transient.js';

/** SQLSTATE classes a row's values can raise while its document is built. */
const DATA_CLASSES = new Set([
  '22', // data exception: division by zero, out of range, invalid byte sequence, ...
  '23', // integrity constraint violation
  '2F', // SQL routine exception (a function over the row)
  '38', // external routine exception
  '39', // external routine invocation exception
  'P0', // PL/pgSQL raise
]);

/** The SQLSTATE of `error` when it is a Postgres failure caused by a row's data. */
export function dataErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || isTransientPgError(error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return DATA_CLASSES.has(code.slice(0, 2)) ? code : null;
}

/**
 * `error` as the builder reports it: a data failure becomes `invalid_value` naming the
 * index and the SQLSTATE (no message, no cause: they carry the value); anything else
 * is returned unchanged.
 */
export function asDocumentFailure(index: IndexName, documents: number, error: unknown): unknown {
  const code = dataErrorCode(error);
  if (code === null) return error;
  return new FlussoError(
    'invalid_value',
    `index ${index}: the document query failed on the data of ${documents} document(s) (SQLSTATE ${code})`,
    { context: { index, pg_code: code, documents } },
  );
}
