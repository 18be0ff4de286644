// A WriteQueue double: keeps what was enqueued, or fails like an unreachable broker.
import { FlussoError } from '@flusso/core';
import type { QueuedWrite, WriteQueue } from '@flusso/sinks';

export class MemoryWriteQueue implements WriteQueue {
  readonly writes: QueuedWrite[] = [];
  failing = false;

  enqueue(write: QueuedWrite): Promise<void> {
    if (this.failing) return Promise.reject(new FlussoError('queue_unavailable', 'broker unreachable'));
    this.writes.push(write);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
