import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CopyDataFrames } from './frame-iterator.js';

describe('CopyDataFrames', () => {
  it('hands frames over one per data event, pausing the stream while full', async () => {
    const stream = new PassThrough();
    const frames = new CopyDataFrames(stream, 4);
    const pending = frames.next();
    stream.write(Buffer.from('a'));
    expect((await pending)?.toString()).toBe('a');
    for (const c of 'bcde') stream.write(Buffer.from(c));
    await new Promise((r) => setImmediate(r));
    expect(stream.isPaused()).toBe(true);
    const taken = [frames.shift(), frames.shift(), frames.shift()].map((b) => b?.toString());
    expect(taken).toEqual(['b', 'c', 'd']);
    expect(stream.isPaused()).toBe(false);
    expect(frames.shift()?.toString()).toBe('e');
    expect(frames.shift()).toBeUndefined();
    stream.end();
    expect(await frames.next()).toBeNull();
    frames.close();
  });

  it('throws the stream error once the queue is drained', async () => {
    const stream = new PassThrough();
    const frames = new CopyDataFrames(stream);
    stream.write(Buffer.from('x'));
    await new Promise((r) => setImmediate(r));
    stream.destroy(new Error('connection lost'));
    expect((await frames.next())?.toString()).toBe('x');
    await expect(frames.next()).rejects.toThrow('connection lost');
    frames.close();
  });
});
