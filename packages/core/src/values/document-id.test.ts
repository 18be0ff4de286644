import { describe, expect, it } from 'vitest';
import { documentIdFromValues } from './document-id.js';
import { valueToJson } from './value.js';

describe('document ids', () => {
  it('join composite keys with colons using Postgres text forms', () => {
    expect(
      documentIdFromValues([
        { kind: 'int8', value: 9007199254740993n },
        { kind: 'uuid', value: '0b5c2a3e-1f00-4d7a-9a39-4f1c2a000001' },
      ]),
    ).toBe('9007199254740993:0b5c2a3e-1f00-4d7a-9a39-4f1c2a000001');
  });

  it('refuse a null key part', () => {
    expect(() => documentIdFromValues([{ kind: 'null' }])).toThrow(/key column 0 is null/);
  });

  it('keep int8 beyond 2^53 exact in JSON', () => {
    expect(valueToJson({ kind: 'int8', value: 9007199254740993n })).toBe('9007199254740993');
    expect(valueToJson({ kind: 'int8', value: 42n })).toBe(42);
  });
});
