import { describe, expect, it } from 'vitest';
import { SpliceOut } from './splice-out.js';

function written(text: string, build: (out: SpliceOut) => void) {
  const out = new SpliceOut();
  out.start(text);
  build(out);
  return { text: out.text(), bytes: Buffer.from(out.bytes(Buffer.from(text, 'utf8'))).toString('utf8') };
}

describe('SpliceOut', () => {
  it('renders ranges and literals in order, as text and as bytes copied from an ASCII source', () => {
    const got = written('{"a":1, "b":2}', (out) => {
      out.char('{');
      out.range(1, 6);
      out.char(',');
      out.range(8, 13);
      out.literal('"é😀x"');
      out.char('}');
    });
    expect(got).toEqual({ text: '{"a":1,"b":2"é😀x"}', bytes: '{"a":1,"b":2"é😀x"}' });
  });

  it('encodes a non-ASCII source through its text', () => {
    const got = written('{"é":"ü"}', (out) => {
      out.range(0, 5);
      out.literal('"x"');
      out.char('}');
    });
    expect(got).toEqual({ text: '{"é":"x"}', bytes: '{"é":"x"}' });
  });

  it('starts over after clear', () => {
    const got = written('[1,2]', (out) => {
      out.range(0, 2);
      out.clear();
      out.range(0, 5);
    });
    expect(got).toEqual({ text: '[1,2]', bytes: '[1,2]' });
  });
});
