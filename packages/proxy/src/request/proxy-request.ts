// The pipeline's input and output: a parsed client request and the response to send.
import type { Principal, TraceContext } from '@flusso/core';

export type ProxyMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface ProxyRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string | null;
  readonly principal?: Principal;
  readonly requestId: string;
  /** The client's trace context (or a fresh root); upstream calls get a child span. */
  readonly trace: TraceContext;
}

export interface ProxyResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}
