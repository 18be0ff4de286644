// Helpers for multi-item endpoints (bulk, mget, msearch): group items by the
// cluster they go to, and the per-item error the proxy itself raises.
import type { JsonObject } from '@flusso/core';
import { type AnswerableError, answerError, requestStatus } from '../request/request-status.js';

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/** A per-item error in OpenSearch's shape, typed by the proxy's error code (shape-only reason). */
export function codeError(failure: AnswerableError): { error: JsonObject; status: number } {
  const error = answerError(failure);
  return {
    error: { type: error.code, reason: error.message, retryable: error.retryable },
    status: requestStatus(error.code),
  };
}
