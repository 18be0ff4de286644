// Settings of the OpenSearch sink in osproxy's layout (`layout = "osproxy"`).
import type { BackoffPolicy, Clock, OsproxyLayoutOptions } from '@flusso/core';

export interface OsproxyLayoutSinkOptions {
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly prefix?: string;
  /** osproxy's settings: `OSPROXY_INDEX` and the injected field names. */
  readonly layout?: OsproxyLayoutOptions;
  readonly batchSize?: number;
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly backoff?: Omit<BackoffPolicy, 'maxRetries'>;
  readonly numberOfShards?: number;
  readonly numberOfReplicas?: number;
  readonly tlsVerify?: boolean;
  readonly ca?: string;
  readonly clock?: Clock;
}
