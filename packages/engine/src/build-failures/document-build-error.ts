// The run's stop when a document cannot be built under `on_error = "stop"`: names
// the index, the document id and the SQLSTATE (never a row's value), so an
// operator can find the row. Not retryable: the same row fails the same way.
import { FlussoError, type IndexName } from '@flusso/core';
import type { BuildFailure } from './isolate.js';

export class DocumentBuildError extends FlussoError {
  readonly index: IndexName;
  readonly id: string;
  /** The SQLSTATE of the failed document query; null when the failure was not SQL's. */
  readonly sqlstate: string | null;

  constructor(failure: BuildFailure, count: number) {
    const sqlstate = sqlstateOf(failure);
    super(
      'invalid_value',
      `index ${failure.index}: document ${failure.id} cannot be built (${describeCause(sqlstate)})` +
        `${count > 1 ? `, and ${count - 1} more` : ''}; on_error = "stop" stops the run`,
      {
        context: { index: failure.index, id: failure.id, pg_code: sqlstate, count },
        cause: failure.error,
      },
    );
    this.name = 'DocumentBuildError';
    this.index = failure.index;
    this.id = failure.id;
    this.sqlstate = sqlstate;
  }
}

/** The SQLSTATE the builder reported in its error's context, if any. */
export function sqlstateOf(failure: BuildFailure): string | null {
  const code = failure.error.context.pg_code;
  return typeof code === 'string' ? code : null;
}

/** What failed, in codes only. */
export function describeCause(sqlstate: string | null): string {
  return sqlstate === null ? 'its value cannot be sent (invalid_value)' : `SQLSTATE ${sqlstate}`;
}
