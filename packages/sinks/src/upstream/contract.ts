// The proxy's upstream: every operation osproxy sends to an OpenSearch cluster.
// Types only. Each op is fully resolved by the proxy (method, path, allow-listed
// query, rewritten body, sanitized headers); an implementation dispatches it to
// `target.cluster` (via `target.endpoint` when given) and returns the raw reply.
// Transport failures throw UpstreamError (`timeout`, `transport`, ...; upstream-error.ts);
// an HTTP error status is a reply, not a throw.
import type { Epoch, Target, TraceContext } from '@flusso/core';

export type UpstreamMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** What every upstream operation carries. */
export interface UpstreamOpBase {
  readonly target: Target;
  readonly method: UpstreamMethod;
  /** Absolute path, already percent-encoded, never containing a `..` segment. */
  readonly path: string;
  /** Allow-listed URL parameters only (e.g. `routing`, `scroll`, `keep_alive`). */
  readonly query: Readonly<Record<string, string>>;
  readonly body: Uint8Array | null;
  /** Headers to relay (hop-by-hop and denied ones already removed). */
  readonly headers: Readonly<Record<string, string>>;
  /** The proxy's own span in the client's trace (render with `traceHeaders`). */
  readonly trace: TraceContext;
  readonly requestId: string;
}

/** A single-document write (`index`, `create`, `update`, `delete`). */
export interface DocOp {
  readonly action: 'index' | 'create' | 'update' | 'delete';
  /** Physical id; absent only for an auto-id `index`. */
  readonly id?: string;
  readonly routing?: string;
}

export interface WriteOp extends UpstreamOpBase {
  readonly kind: 'write';
  readonly doc: DocOp;
  /** The placement epoch the write was admitted under. */
  readonly epoch: Epoch;
}

/** One upstream `_bulk` request (NDJSON body) for one target cluster. */
export interface BulkOp extends UpstreamOpBase {
  readonly kind: 'bulk';
  /** Number of action items in the body. */
  readonly items: number;
  readonly epoch: Epoch;
}

/** A read by id (`GET /_doc/{id}`) or a multi-get (`_mget`). */
export interface ReadOp extends UpstreamOpBase {
  readonly kind: 'read';
  readonly action: 'get' | 'mget';
}

/** A filtered query against one physical index. */
export interface SearchOp extends UpstreamOpBase {
  readonly kind: 'search';
  readonly action: 'search' | 'count' | 'delete_by_query' | 'msearch' | 'pit_open';
}

/** A scroll or PIT follow-up, pinned to the cluster that created the cursor. */
export interface CursorOp extends UpstreamOpBase {
  readonly kind: 'cursor';
  readonly action: 'scroll' | 'scroll_clear' | 'pit_search' | 'pit_close';
}

/** A verbatim forward (admin allow-list, passthrough legacy indexes). */
export interface ForwardOp extends UpstreamOpBase {
  readonly kind: 'forward';
  readonly action: 'admin' | 'passthrough';
}

export type UpstreamOp = WriteOp | BulkOp | ReadOp | SearchOp | CursorOp | ForwardOp;

export interface UpstreamResponse {
  readonly status: number;
  /** Whether the request rode an already-open pooled connection. */
  readonly reused: boolean;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface StreamedUpstreamResponse {
  readonly status: number;
  readonly reused: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
}

/** The proxy's sink: one method per operation family, all returning the raw reply. */
export interface Upstream {
  write(op: WriteOp): Promise<UpstreamResponse>;
  bulk(op: BulkOp): Promise<UpstreamResponse>;
  read(op: ReadOp): Promise<UpstreamResponse>;
  search(op: SearchOp): Promise<UpstreamResponse>;
  cursor(op: CursorOp): Promise<UpstreamResponse>;
  forward(op: ForwardOp): Promise<UpstreamResponse>;
  /** Verbatim forward with a streamed request body (`op.body` is ignored) and a streamed reply. */
  forwardStream(op: ForwardOp, body: AsyncIterable<Uint8Array>): Promise<StreamedUpstreamResponse>;
}
