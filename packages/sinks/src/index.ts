// Sinks: the Sink interface, OpenSearch bulk sink, the proxy's upstream, stdout, Kafka.

export { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch/opensearch-sink.js';
export type { FlushReport, ItemRejection, Sink, SinkIndex, SinkWrite } from './sink/sink.js';
export { type StdoutEnvelope, StdoutSink, type StdoutSinkOptions } from './stdout/stdout-sink.js';
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
