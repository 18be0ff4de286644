// Sinks, light entry: the contracts osproxy's pipeline programs against (the
// upstream and the write queue): their types and their own errors, so importing
// it loads no client.
// Implementations sit on their own subpaths: `@flusso/sinks/opensearch`,
// `/upstream` (undici), `/kafka` (kafkajs), `/stdout`; doubles on `/testing`.
export type { QueuedWrite, WriteQueue } from './queue/write-queue.js';
export {
  isWriteQueueError,
  WriteQueueError,
  type WriteQueueErrorCode,
  writeQueueErrorCodes,
} from './queue/write-queue-error.js';
export type {
  BulkOp,
  CursorOp,
  DocOp,
  ForwardOp,
  ReadOp,
  SearchOp,
  StreamedUpstreamResponse,
  Upstream,
  UpstreamMethod,
  UpstreamOp,
  UpstreamOpBase,
  UpstreamResponse,
  WriteOp,
} from './upstream/contract.js';
export {
  isUpstreamError,
  UpstreamError,
  type UpstreamErrorCode,
  upstreamErrorCodes,
} from './upstream/upstream-error.js';
