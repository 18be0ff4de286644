// A WriteQueue double: keeps what was enqueued, or fails like an unreachable broker.
import { type QueuedWrite, type WriteQueue, WriteQueueError } from '@flusso/sinks';

/** A queued write with its body text parsed, for assertions. */
export type SeenWrite = Omit<QueuedWrite, 'body'> & {
  readonly body: unknown;
  readonly bodyText: string | null;
};

export class MemoryWriteQueue implements WriteQueue {
  readonly writes: SeenWrite[] = [];
  failing = false;

  enqueue(write: QueuedWrite): Promise<void> {
    if (this.failing) return Promise.reject(new WriteQueueError('unavailable', 'broker unreachable'));
    const body = write.body === null ? null : JSON.parse(write.body);
    this.writes.push({ ...write, body, bodyText: write.body });
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
