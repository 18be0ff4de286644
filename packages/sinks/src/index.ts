// Sinks: the Sink interface, OpenSearch bulk sink, the proxy's upstream, stdout, Kafka.

export { OpenSearchSink, type OpenSearchSinkOptions } from './opensearch/opensearch-sink.js';
export { type KafkaConnection, type KafkaSaslMechanism, kafkaConfigOf } from './queue/kafka-client.js';
export {
  type BatchHandler,
  type ConsumedBatch,
  type ConsumedRecord,
  KafkaWriteConsumer,
  type KafkaWriteConsumerOptions,
  type ProducedRecord,
} from './queue/kafka-write-consumer.js';
export { KafkaWriteQueue, type KafkaWriteQueueOptions } from './queue/kafka-write-queue.js';
export type { QueuedWrite, WriteQueue } from './queue/write-queue.js';
export type { FlushReport, ItemRejection, Sink, SinkIndex, SinkWrite } from './sink/sink.js';
export { type StdoutEnvelope, StdoutSink, type StdoutSinkOptions } from './stdout/stdout-sink.js';
export type { BreakerState } from './upstream/circuit-breaker.js';
export type { ClusterEndpoint, UpstreamTls } from './upstream/cluster-pools.js';
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
export type { PoolStats } from './upstream/pool-stats.js';
export { UndiciUpstream, type UndiciUpstreamOptions } from './upstream/undici-upstream.js';
export {
  buildUpstreamRequest,
  checkUpstreamPath,
  type UpstreamRequest,
} from './upstream/upstream-request.js';
