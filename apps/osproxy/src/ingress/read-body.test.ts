import { Readable } from 'node:stream';
import { DeadlineQueue } from '@flusso/core';
import { describe, expect, it } from 'vitest';
import { bufferedBody, readBody } from './read-body.js';

const limits = { maxBytes: 10, deadlines: new DeadlineQueue(60_000) };

/** A request stream whose chunks are all in its buffer, `complete` as Node's parser sets it. */
function request(chunks: string[], complete: boolean): Readable & { complete: boolean } {
  const stream = new Readable({ read() {} }) as Readable & { complete: boolean };
  for (const chunk of chunks) stream.push(Buffer.from(chunk));
  if (complete) stream.push(null);
  stream.complete = complete;
  return stream;
}

function budget(allow = true) {
  const charged: number[] = [];
  const charge = (n: number): boolean => {
    if (!allow) return false;
    charged.push(n);
    return true;
  };
  return { charged, reservation: { charge, release() {} } };
}

describe('bufferedBody', () => {
  it('takes a body that came with its headers whole, charged as one chunk', () => {
    const { charged, reservation } = budget();
    const body = bufferedBody(request(['{"a"', ':1}'], true), reservation, limits);
    expect(Buffer.from(body ?? []).toString()).toBe('{"a":1}');
    expect(charged).toEqual([7]);
  });

  it('leaves a body still arriving to readBody, and an empty one is empty', () => {
    const { reservation } = budget();
    expect(bufferedBody(request(['{'], false), reservation, limits)).toBeUndefined();
    expect(bufferedBody(request([], true), reservation, limits)?.length).toBe(0);
  });

  it('refuses a body past the cap (413) or past the in-flight budget (429), charging nothing', () => {
    const { charged, reservation } = budget();
    expect(() => bufferedBody(request(['0123456789x'], true), reservation, limits)).toThrow(
      expect.objectContaining({ code: 'payload_too_large' }),
    );
    expect(charged).toEqual([]);
    expect(() => bufferedBody(request(['{}'], true), budget(false).reservation, limits)).toThrow(
      expect.objectContaining({ code: 'overloaded' }),
    );
  });
});

describe('readBody', () => {
  it('fails at once for a request closed before it was read', async () => {
    const stream = request(['{'], false);
    stream.destroy();
    await expect(readBody(stream, budget().reservation, limits)).rejects.toMatchObject({
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
  });
});
