// OpenSearch-shaped errors: {"error":{"root_cause":[...],"type","reason"},"status"}.
export class OsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(reason);
  }

  body(): Record<string, unknown> {
    const cause = { type: this.type, reason: this.reason, ...this.extra };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }

  /** The per-item error object inside a bulk response. */
  item(): Record<string, unknown> {
    return { type: this.type, reason: this.reason, ...this.extra };
  }
}

export const indexNotFound = (index: string) =>
  new OsError(404, 'index_not_found_exception', `no such index [${index}]`, {
    index,
    'resource.type': 'index_or_alias',
    'resource.id': index,
  });

/** OpenSearch's `action_request_validation_exception`: "Validation Failed: 1: ...;2: ...;". */
export class ValidationFailed extends OsError {
  constructor(readonly errors: readonly string[]) {
    super(
      400,
      'action_request_validation_exception',
      `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`,
    );
  }
}

export const validationFailed = (errors: readonly string[]) => new ValidationFailed(errors);
