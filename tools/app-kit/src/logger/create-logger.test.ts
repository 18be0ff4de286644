import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

describe('createLogger', () => {
  it('writes JSON lines at the given level to the destination', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    logger.info('hidden');
    logger.warn({ index: 'a' }, 'shown');
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ msg: 'shown', index: 'a' })]);
  });
});
