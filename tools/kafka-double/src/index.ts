// A single-broker Kafka double over real TCP, for tests and demos (never the product).
export { ProtocolError, SaslAuthenticationError } from './errors.js';
export type { StoredRecord } from './log-store.js';
export { crc32c } from './protocol/crc32c.js';
export { ErrorCode } from './protocol/error-codes.js';
export { Reader, Writer } from './protocol/primitives.js';
export {
  type BatchRecord,
  decodeRecordBatches,
  encodeRecordBatch,
  type KafkaHeader,
  type RecordBatch,
  RecordBatchError,
} from './protocol/record-batch.js';
export type { KafkaDoubleSaslOptions, SaslMechanism } from './sasl/config.js';
export {
  type KafkaDouble,
  type KafkaDoubleOptions,
  type KafkaDoubleTlsOptions,
  startKafkaDouble,
} from './server.js';
