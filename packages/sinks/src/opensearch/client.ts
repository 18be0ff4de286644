// What both OpenSearch sinks (generations and osproxy's layout) share: one way to
// build the client from their connection options, and the two error shapes they
// treat as answers rather than failures.
import { Client } from '@opensearch-project/opensearch';
import { errorTypeOf } from './transport-errors.js';

export interface ConnectionOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
  /** Verify the cluster's TLS certificate (default true). */
  readonly tlsVerify?: boolean;
  /** PEM of a private CA to trust. */
  readonly ca?: string;
}

/** The client; retries are the sink's own (bulk backoff), never the client's. */
export function openSearchClient(o: ConnectionOptions): Client {
  return new Client({
    node: o.url,
    maxRetries: 0,
    requestTimeout: o.timeoutMs ?? 30_000,
    ...(o.username !== undefined ? { auth: { username: o.username, password: o.password ?? '' } } : {}),
    ssl: { rejectUnauthorized: o.tlsVerify ?? true, ...(o.ca ? { ca: o.ca } : {}) },
  });
}

/** A 404 as `null`; anything else rethrown. */
export function notFoundAsNull(error: unknown): null {
  if ((error as { meta?: { statusCode?: number } })?.meta?.statusCode === 404) return null;
  throw error;
}

/**
 * An index that already exists is what creating it wanted (another process starting at the
 * same time created it); anything else rethrown. Read from the reply's error type, also
 * through the sink error that wraps the client's.
 */
export function ignoreExists(error: unknown): void {
  for (let e: unknown = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++)
    if (
      errorTypeOf(e) === 'resource_already_exists_exception' ||
      (e as { message?: string }).message?.startsWith('resource_already_exists_exception')
    )
      return;
  throw error;
}
