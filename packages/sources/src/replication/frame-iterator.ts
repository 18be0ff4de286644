// One CopyData frame per item. Async-iterating a byte stream would concatenate
// buffered frames, so frames are taken from 'data' events into a small queue, and
// the socket is paused while the queue is full (back-pressure to the server).
import type { Readable } from 'node:stream';

export async function* copyDataFrames(stream: Readable, highWater = 64): AsyncIterable<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: () => void = () => undefined;
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= highWater) stream.pause();
    wake();
  };
  const onEnd = () => {
    ended = true;
    wake();
  };
  const onError = (error: unknown) => {
    failure = error;
    wake();
  };
  stream.on('data', onData);
  stream.once('end', onEnd);
  stream.once('close', onEnd);
  stream.once('error', onError);
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        if (queue.length < highWater / 2 && stream.isPaused()) stream.resume();
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('close', onEnd);
    stream.off('error', onError);
  }
}
