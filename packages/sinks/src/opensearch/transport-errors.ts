// Classifies client failures: transport errors, 429 and 5xx are transient (retry);
// any other status means the request itself is wrong (never retried).
import { FlussoError } from '@flusso/core';

export function statusOfError(error: unknown): number | null {
  const meta = (error as { meta?: { statusCode?: number | null } } | null)?.meta;
  return typeof meta?.statusCode === 'number' ? meta.statusCode : null;
}

export function isTransient(error: unknown): boolean {
  const status = statusOfError(error);
  return status === null || status === 429 || status >= 500;
}

/** OpenSearch's error type from a reply body (`{"error":{"type":...}}`): names the cause, holds no values. */
export function errorTypeOf(error: unknown): string | undefined {
  const body = (error as { meta?: { body?: unknown } } | null)?.meta?.body;
  const type = (body as { error?: { type?: unknown } } | null | undefined)?.error?.type;
  return typeof type === 'string' && /^[a-z_]+$/.test(type) ? type : undefined;
}

export function toSinkError(sink: string, what: string, error: unknown): FlussoError {
  if (error instanceof FlussoError) return error;
  const status = statusOfError(error);
  const code = isTransient(error) ? 'sink_transient' : 'sink_failed';
  const type = errorTypeOf(error);
  const reason =
    status === null
      ? ((error as Error)?.name ?? 'transport error')
      : `status ${status}${type ? ` ${type}` : ''}`;
  return new FlussoError(code, `sink ${sink}: ${what} failed (${reason})`, {
    cause: error,
    context: { sink, status },
  });
}
