// One CopyData frame per item. Async-iterating a byte stream would concatenate
// buffered frames, so frames are taken from 'data' events into a small queue, and
// the socket is paused while the queue is full (back-pressure to the server).
// Frames already queued are taken synchronously (`shift`): only an empty queue
// costs a promise (`next`), not every frame, as an async generator would.
import type { Readable } from 'node:stream';

export class CopyDataFrames {
  private readonly queue: Buffer[] = [];
  private ended = false;
  private failure: unknown = null;
  private wake: () => void = () => undefined;

  constructor(
    private readonly stream: Readable,
    private readonly highWater = 64,
  ) {
    stream.on('data', this.onData);
    stream.once('end', this.onEnd);
    stream.once('close', this.onEnd);
    stream.once('error', this.onError);
  }

  /** The next queued frame, or undefined when none is queued (then `next`). */
  shift(): Buffer | undefined {
    const frame = this.queue.shift();
    if (frame !== undefined && this.queue.length < this.highWater / 2 && this.stream.isPaused())
      this.stream.resume();
    return frame;
  }

  /** The next frame, waiting for one; null once the stream ended; throws its error. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const frame = this.shift();
      if (frame !== undefined) return frame;
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Stops listening to the stream. */
  close(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.queue.push(chunk);
    if (this.queue.length >= this.highWater) this.stream.pause();
    this.wake();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake();
  };

  private readonly onError = (error: unknown): void => {
    this.failure = error;
    this.wake();
  };
}
