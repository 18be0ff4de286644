// `@flusso/sinks/kafka`: the Kafka write queue for osproxy's async writes; loads
// kafkajs, so an app imports it only when async writes are configured.
export {
  type KafkaSaslMechanism,
  KafkaWriteQueue,
  type KafkaWriteQueueOptions,
} from './queue/kafka-write-queue.js';
