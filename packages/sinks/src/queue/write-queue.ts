// The proxy's asynchronous write path: a resolved single-document write handed
// to a durable queue instead of the cluster. `enqueue` resolves only once the
// queue has acknowledged the message (for Kafka: every in-sync replica).
// Failures throw WriteQueueError `unavailable` (retryable; write-queue-error.ts),
// which osproxy answers as 503 `queue_unavailable`.

/** One resolved write, as the proxy would have sent it upstream. */
export interface QueuedWrite {
  /** Unique id the client gets back to correlate the write. */
  readonly opId: string;
  /** The partition (tenant): the message key, so one tenant's writes keep their order. */
  readonly partition: string;
  readonly action: 'index' | 'create' | 'update' | 'delete';
  readonly cluster: string;
  /** Physical index and id, routing, and the body exactly as they would go upstream. */
  readonly index: string;
  readonly id?: string;
  readonly routing?: string;
  /** The body's exact JSON text (numbers and escapes as the client sent them); null for a delete. */
  readonly body: string | null;
  readonly epoch: number;
  /** W3C traceparent of the proxy's span, carried as a message header. */
  readonly traceparent: string;
}

export interface WriteQueue {
  enqueue(write: QueuedWrite): Promise<void>;
  close(): Promise<void>;
}
