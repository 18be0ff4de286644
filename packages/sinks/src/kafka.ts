// `@flusso/sinks/kafka`: the Kafka write queue for osproxy's async writes and the
// consumer `osproxy apply` runs; loads kafkajs, so an app imports it only when
// Kafka is configured.
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
export {
  isWriteQueueError,
  WriteQueueError,
  type WriteQueueErrorCode,
  writeQueueErrorCodes,
} from './queue/write-queue-error.js';
